# SPDX-License-Identifier: Apache-2.0
"""The data a placement decision reads and the data it returns.

Everything here is plain data: a decision is a pure function of a snapshot
of ``CloudFacts``, so it can be unit-tested and benchmarked without clouds.
"""

import dataclasses
import functools

RESOURCES = ("instances", "cores", "ram")


@dataclasses.dataclass(frozen=True)
class LaunchRequest:
    """What the user asked for; flavor and image by name or id.

    ``public_key``: OpenSSH text, or read from the home cloud's key pair
    ``key_name`` when the launch is accepted. ``user_data``: base64, as
    Nova takes it. ``security_groups``: names (none: the cloud's
    ``default``, as Nova does). ``networks``: names (none: Nova's
    ``auto``).
    """

    name: str
    flavor: str
    image: str
    count: int = 1
    cloud: str = None
    key_name: str = None
    public_key: str = None
    user_data: str = None
    security_groups: tuple = ()
    networks: tuple = ()
    availability_zone: str = None

    def spec(self):
        """What a launch record keeps of it, as JSON-ready data."""
        spec = dataclasses.asdict(self)
        del spec['count']
        spec['security_groups'] = list(self.security_groups)
        spec['networks'] = list(self.networks)
        return spec

    @classmethod
    def from_spec(cls, spec, name=None):
        """One instance (named ``name``) of a launch recorded with ``spec``.

        A spec recorded before a field existed lacks it: its default.
        """
        fields = {field.name for field in dataclasses.fields(cls)}
        values = {key: value for key, value in spec.items()
                  if key in fields - {'count'} and value is not None}
        values.update(
            security_groups=tuple(values.get('security_groups', ())),
            networks=tuple(values.get('networks', ())))
        if name is not None:
            values['name'] = name
        return cls(**values)


@dataclasses.dataclass(frozen=True)
class Flavor:
    id: str
    name: str
    vcpus: int
    ram: int
    disk: int

    @property
    def size(self):
        return (self.vcpus, self.ram, self.disk)

    @functools.cached_property
    def usage(self):
        """Quota one server of this flavor consumes."""
        return {"instances": 1, "cores": self.vcpus, "ram": self.ram}


@dataclasses.dataclass(frozen=True)
class Image:
    id: str
    name: str


class Usage(dict):
    """Quota consumed per cloud by the launches of one request so far.

    They are counted on top of the snapshot's usage until the snapshot is
    refreshed, so instance N of ``--count`` sees instances 1..N-1.
    """

    def add(self, cloud, usage):
        mine = self.setdefault(cloud, dict.fromkeys(RESOURCES, 0))
        for resource in RESOURCES:
            mine[resource] += usage[resource]


_NOTHING = dict.fromkeys(RESOURCES, 0)


@dataclasses.dataclass
class CloudFacts:
    """What placement knows of one cloud at one moment.

    ``limits`` maps each of ``RESOURCES`` to ``(limit, used)`` as Nova's
    absolute limits give them (a negative limit is unlimited); ``None``
    when they could not be read, ``limits_error`` then says why.
    """

    name: str
    enabled: bool = True
    draining: bool = False
    healthy: bool = True
    state_reason: str = None
    weight: float = 1.0
    latency_ms: float = None
    recent_failures: int = 0
    flavors: tuple = ()
    images: tuple = ()
    limits: dict = None
    limits_error: str = None
    #: Read only when a request names them (facts.gather): names of the
    #: security groups, {network name: (ids...)}, available zones.
    security_groups: frozenset = None
    networks: dict = None
    availability_zones: frozenset = None
    #: ``[cloud:NAME] network_aliases``: {name asked: name here}.
    network_aliases: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        self._flavors_by_ref = _index(self.flavors)
        self._flavors_by_size = {}
        for flavor in self.flavors:
            self._flavors_by_size.setdefault(flavor.size, flavor)
        self._images_by_ref = _index(self.images)

    def with_limits(self, limits):
        """These facts with other ``limits`` (its indexes shared, not
        rebuilt: a decision does this for every cloud).
        """
        facts = object.__new__(type(self))
        facts.__dict__.update(self.__dict__, limits=limits)
        return facts

    def flavor_named(self, ref):
        """The flavor whose id or (unique) name is ``ref``, else None."""
        return self._flavors_by_ref.get(ref)

    def find_flavor(self, ref, size=None):
        """The flavor ``ref``, or else one of exactly ``size``."""
        return (self._flavors_by_ref.get(ref) or
                self._flavors_by_size.get(size))

    def find_image(self, ref):
        """The image whose id or (unique) name is ``ref``, else None."""
        return self._images_by_ref.get(ref)

    def image_ambiguous(self, ref):
        """Several images are named ``ref`` (and none has it as id)."""
        return ref in self._images_by_ref and not self._images_by_ref[ref]

    def local_network(self, name):
        """What this cloud calls the network a request calls ``name``."""
        return self.network_aliases.get(name, name)

    def network_ids(self, name):
        """Ids of the networks this cloud has under the name ``name``."""
        return (self.networks or {}).get(self.local_network(name), ())

    def shortfall(self, need, reserved=None):
        """``(resource, free)`` of the first resource short of ``need``.

        None when everything fits; a negative limit is unlimited.
        """
        reserved = reserved or _NOTHING
        for resource, (limit, used) in self.limits.items():
            if limit >= 0:
                free = limit - used - reserved[resource]
                if free < need[resource]:
                    return resource, max(free, 0)
        return None

    def fraction_left(self, need, reserved=None):
        """Share of quota left after ``need``, of the scarcest resource."""
        reserved = reserved or _NOTHING
        fraction = 1.0
        for resource, (limit, used) in self.limits.items():
            if limit > 0:
                left = (limit - used - reserved[resource] - need[resource])
                if left < fraction * limit:
                    fraction = left / limit
        return fraction if fraction > 0.0 else 0.0


def _index(items):
    """{id or name: item}; a name two items share finds neither, an id wins.

    Built once per snapshot so that each look-up is one dict access.
    """
    index = {}
    for item in items:
        index[item.name] = None if item.name in index else item
    index.update((item.id, item) for item in items)
    return index


# Candidates and rejections are made by the hundred per decision: slotted,
# not frozen, because a frozen dataclass is several times slower to build.
@dataclasses.dataclass(slots=True)
class Candidate:
    """A cloud that passed every filter, with its score and its parts.

    ``flavor``, ``image`` and ``networks`` are the ids to use on that
    cloud (``networks`` None: Nova's ``auto``).
    """

    cloud: str
    score: float
    weights: dict
    flavor: str = None
    image: str = None
    networks: list = None

    def to_dict(self):
        # Not dataclasses.asdict: its deep copy was half the cost of
        # accepting a launch over 100 clouds (the ranking is recorded).
        return {"cloud": self.cloud, "score": self.score,
                "weights": dict(self.weights), "flavor": self.flavor,
                "image": self.image,
                "networks": (None if self.networks is None
                             else list(self.networks))}


@dataclasses.dataclass(slots=True)
class Rejection:
    cloud: str
    reason: str

    def to_dict(self):
        return {"cloud": self.cloud, "reason": self.reason}


@dataclasses.dataclass
class Ranking:
    """Clouds best first, the rejected ones with their reason.

    ``plan`` holds the Candidate chosen for each of ``count`` instances;
    when it falls short, ``unplaced`` holds the rejections that stopped it.
    """

    strategy: str
    ranked: list
    rejected: list
    plan: list = dataclasses.field(default_factory=list)
    unplaced: list = dataclasses.field(default_factory=list)

    @property
    def best(self):
        return self.ranked[0] if self.ranked else None

    def to_dict(self):
        return {"strategy": self.strategy,
                "ranked": [c.to_dict() for c in self.ranked],
                "rejected": [r.to_dict() for r in self.rejected],
                "plan": [c.cloud for c in self.plan],
                "unplaced": [r.to_dict() for r in self.unplaced]}
