# SPDX-License-Identifier: Apache-2.0
"""Read a snapshot of cloud facts, every cloud in parallel.

This is the only part of placement that talks to clouds. Flavors, images
and limits are read by one federation fan-out each, so each call gets its
own ``api_timeout``; a cloud that failed one is not asked the next, so a
hung cloud costs one timeout, once. Security groups, networks and
availability zones are read the same way, only when the request names
some. Limits come through ``read_limits`` (the database's shared copy, read
from Nova when stale).
"""

from multios.placement import model


def _flavors(cloud):
    return tuple(model.Flavor(f.id, f.name, f.vcpus, f.ram, f.disk)
                 for f in cloud.flavors())


def _images(cloud):
    """Usable images only: a queued or killed image cannot boot."""
    return tuple(model.Image(i['id'], i['name']) for i in cloud.images()
                 if (i.get('status') or 'ACTIVE').upper() == 'ACTIVE')


def _security_groups(cloud):
    return frozenset(group['name'] for group in cloud.security_groups())


def _networks(cloud):
    """{name: (ids...)}: Neutron lets several networks share a name."""
    found = {}
    for network in cloud.networks():
        found.setdefault(network['name'], []).append(network['id'])
    return {name: tuple(ids) for name, ids in found.items()}


def _availability_zones(cloud):
    return frozenset(cloud.availability_zones())


def readers(request):
    """(CloudFacts field, reader) of what placing ``request`` needs."""
    needed = [('flavors', _flavors), ('images', _images)]
    if request is not None:
        if request.security_groups:
            needed.append(('security_groups', _security_groups))
        if request.networks:
            needed.append(('networks', _networks))
        if request.availability_zone:
            needed.append(('availability_zones', _availability_zones))
    return needed


def read(federation, clouds, reader):
    """({name: what reader read}, {name: why it failed}) over ``clouds``."""
    result = federation.map(lambda cloud: (cloud.name, reader(cloud)),
                            clouds)
    return dict(result.items), {e.cloud: e.reason for e in result.errors}


def gather(federation, read_limits, request=None):
    """CloudFacts of every configured cloud, in configured order.

    ``read_limits(clouds)`` -> ({name: limits}, {name: why not}).
    ``request``: the LaunchRequest to place (what else to read).
    """
    clouds = federation.clouds()
    live = [c for c in clouds if c.enabled and not c.draining]
    values, broken = {}, {}
    for field, reader in readers(request):
        values[field], failed = read(federation, live, reader)
        broken.update(failed)
        live = [c for c in live if c.name not in broken]
    limits, limits_errors = read_limits(live)
    snapshot = []
    for cloud in clouds:
        facts = dict(enabled=cloud.enabled, draining=cloud.draining,
                     weight=cloud.weight,
                     latency_ms=cloud.health.latency_ms,
                     recent_failures=cloud.health.consecutive_failures,
                     network_aliases=cloud.network_aliases)
        if cloud.name in broken:
            facts.update(healthy=False, state_reason=broken[cloud.name])
        elif cloud in live:
            facts.update({field: read_values[cloud.name]
                          for field, read_values in values.items()})
            facts.update(limits=limits.get(cloud.name),
                         limits_error=limits_errors.get(cloud.name))
        snapshot.append(model.CloudFacts(cloud.name, **facts))
    return snapshot
