"""Read a snapshot of cloud facts, every cloud in parallel.

This is the only part of placement that talks to clouds. Flavors, images
and limits are read by one federation fan-out each, so each call gets its
own ``api_timeout``; a cloud that failed one is not asked the next, so a
hung cloud costs one timeout, once. Limits come through ``read_limits``
(the database's shared copy, read from Nova when stale).
"""

from multios.placement import model


def _flavors(cloud):
    return tuple(model.Flavor(f.id, f.name, f.vcpus, f.ram, f.disk)
                 for f in cloud.flavors())


def _images(cloud):
    """Usable images only: a queued or killed image cannot boot."""
    return tuple(model.Image(i['id'], i['name']) for i in cloud.images()
                 if (i.get('status') or 'ACTIVE').upper() == 'ACTIVE')


def read(federation, clouds, reader):
    """({name: what reader read}, {name: why it failed}) over ``clouds``."""
    result = federation.map(lambda cloud: (cloud.name, reader(cloud)),
                            clouds)
    return dict(result.items), {e.cloud: e.reason for e in result.errors}


def gather(federation, read_limits):
    """CloudFacts of every configured cloud, in configured order.

    ``read_limits(clouds)`` -> ({name: limits}, {name: why not}).
    """
    clouds = federation.clouds()
    live = [c for c in clouds if c.enabled and not c.draining]
    flavors, broken = read(federation, live, _flavors)
    live = [c for c in live if c.name not in broken]
    images, more_broken = read(federation, live, _images)
    broken.update(more_broken)
    live = [c for c in live if c.name not in broken]
    limits, limits_errors = read_limits(live)
    snapshot = []
    for cloud in clouds:
        facts = dict(enabled=cloud.enabled, draining=cloud.draining,
                     weight=cloud.weight,
                     latency_ms=cloud.health.latency_ms,
                     recent_failures=cloud.health.consecutive_failures)
        if cloud.name in broken:
            facts.update(healthy=False, state_reason=broken[cloud.name])
        elif cloud in live:
            facts.update(flavors=flavors[cloud.name],
                         images=images[cloud.name],
                         limits=limits.get(cloud.name),
                         limits_error=limits_errors.get(cloud.name))
        snapshot.append(model.CloudFacts(cloud.name, **facts))
    return snapshot
