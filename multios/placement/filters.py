# SPDX-License-Identifier: Apache-2.0
"""Filters: may this cloud take the instance? If not, why not.

Modelled on ``nova.filters.BaseFilter``, except that a filter returns the
reason of a rejection instead of a bare boolean, because ``--dry-run`` and
``NoValidCloud`` show every rejected cloud with its reason.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class PlacementSpec:
    """One instance to place, and what it would boot on each cloud.

    ``size`` is ``(vcpus, ram, disk)`` of the requested flavor where some
    cloud knows it by name or id, so that clouds without that flavor can
    offer one of the same size. ``flavors``/``images`` map each cloud name
    to its matching Flavor/Image (or None), looked up once per decision.
    ``reserved`` is the quota already taken by earlier instances of the
    same request; ``exclude`` the clouds this instance already failed on.
    """

    request: object
    size: tuple
    flavors: dict
    images: dict
    reserved: dict = dataclasses.field(default_factory=dict)
    exclude: frozenset = frozenset()

    @classmethod
    def build(cls, clouds, request, size=None, reserved=None,
              exclude=frozenset()):
        if size is None:
            size = reference_size(clouds, request.flavor)
        return cls(request, size,
                   {c.name: c.find_flavor(request.flavor, size)
                    for c in clouds},
                   {c.name: c.find_image(request.image) for c in clouds},
                   reserved or {}, exclude)


def reference_size(clouds, flavor_ref):
    """(vcpus, ram, disk) of the flavor some cloud calls ``flavor_ref``."""
    for cloud in clouds:
        flavor = cloud.flavor_named(flavor_ref)
        if flavor:
            return flavor.size
    return None


class BaseCloudFilter:
    def reject_reason(self, cloud, spec):
        """Why ``cloud`` (CloudFacts) cannot take ``spec``; None if it can."""
        raise NotImplementedError()


class PinnedCloudFilter(BaseCloudFilter):
    def reject_reason(self, cloud, spec):
        pinned = spec.request.cloud
        if pinned and cloud.name != pinned:
            return "not the requested cloud %s" % pinned
        return None


class ExcludedCloudFilter(BaseCloudFilter):
    def reject_reason(self, cloud, spec):
        if cloud.name in spec.exclude:
            return "already failed for this instance"
        return None


class EnabledFilter(BaseCloudFilter):
    def reject_reason(self, cloud, spec):
        return None if cloud.enabled else "disabled by the operator"


class DrainingFilter(BaseCloudFilter):
    def reject_reason(self, cloud, spec):
        return "draining: takes no new launches" if cloud.draining else None


class HealthFilter(BaseCloudFilter):
    def reject_reason(self, cloud, spec):
        if cloud.healthy:
            return None
        return "unhealthy: %s" % (cloud.state_reason or "unknown reason")


class FlavorFilter(BaseCloudFilter):
    def reject_reason(self, cloud, spec):
        if spec.flavors[cloud.name]:
            return None
        if spec.size:
            return ("no flavor %s nor one of %d vcpus, %d MB RAM, %d GB disk"
                    % ((spec.request.flavor,) + spec.size))
        return "no flavor %s" % spec.request.flavor


class ImageFilter(BaseCloudFilter):
    def reject_reason(self, cloud, spec):
        if spec.images[cloud.name]:
            return None
        if cloud.image_ambiguous(spec.request.image):
            return "more than one image is named %s: give its id" % (
                spec.request.image)
        return "no image %s" % spec.request.image


class AvailabilityZoneFilter(BaseCloudFilter):
    def reject_reason(self, cloud, spec):
        zone = spec.request.availability_zone
        if zone is None or zone in (cloud.availability_zones or ()):
            return None
        return "no availability zone %s" % zone


class NetworkFilter(BaseCloudFilter):
    """Every network asked for, by its name on this cloud (its alias)."""

    def reject_reason(self, cloud, spec):
        for name in spec.request.networks:
            local = cloud.local_network(name)
            shown = name if local == name else "%s (%s here)" % (name, local)
            found = cloud.network_ids(name)
            if not found:
                return "no network %s" % shown
            if len(found) > 1:
                return "more than one network is named %s" % shown
        return None


class SecurityGroupFilter(BaseCloudFilter):
    """MultiOS never creates a missing group: it would invent its rules."""

    def reject_reason(self, cloud, spec):
        present = cloud.security_groups or ()
        missing = [name for name in spec.request.security_groups
                   if name not in present]
        if missing:
            return "no security group %s" % ", ".join(missing)
        return None


class QuotaFilter(BaseCloudFilter):
    """Limits - usage - what this request already placed must fit."""

    def reject_reason(self, cloud, spec):
        if cloud.limits is None:
            return "quota unknown: %s" % (cloud.limits_error or "no limits")
        need = spec.flavors[cloud.name].usage
        short = cloud.shortfall(need, spec.reserved.get(cloud.name))
        if short is None:
            return None
        resource, free = short
        return "quota exceeded for %s: %d needed, %d free" % (
            resource, need[resource], free)


# Cheapest and most telling first: the first refusal is the reason shown.
# QuotaFilter needs the flavor, so it runs after FlavorFilter.
DEFAULT_FILTERS = (
    PinnedCloudFilter(),
    ExcludedCloudFilter(),
    EnabledFilter(),
    DrainingFilter(),
    HealthFilter(),
    FlavorFilter(),
    ImageFilter(),
    AvailabilityZoneFilter(),
    NetworkFilter(),
    SecurityGroupFilter(),
    QuotaFilter(),
)
