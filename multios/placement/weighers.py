# SPDX-License-Identifier: Apache-2.0
"""Weighers: how good a cloud is for an instance, as ``nova/weights.py``.

Each weigher gives a raw value per cloud; the values are normalised to 0..1
over the candidate clouds and multiplied by the weigher's multiplier; a
cloud's score is the sum. The strategy only changes multipliers.
"""

SPREAD = "spread"
PACK = "pack"
ROUND_ROBIN = "round_robin"
STRATEGIES = (SPREAD, PACK, ROUND_ROBIN)


def normalize(values, minval=None, maxval=None):
    """Scale ``values`` to 0..1 between minval and maxval (default: theirs).

    All-equal values become 0, as in ``nova.weights.normalize``; values
    beyond fixed bounds are clamped, as ``BaseWeigher.weigh_objects`` does.
    """
    if not values:
        return []
    low = min(values) if minval is None else minval
    high = max(values) if maxval is None else maxval
    if high == low:
        return [0.0] * len(values)
    span = float(high - low)
    scaled = [(value - low) / span for value in values]
    if minval is None and maxval is None:
        return scaled
    return [0.0 if v < 0.0 else 1.0 if v > 1.0 else v for v in scaled]


class BaseWeigher:
    """One criterion; subclasses set ``name`` and ``multiplier``."""

    name = None
    multiplier = 1.0
    minval = None
    maxval = None

    def weight_multiplier(self, strategy):
        return self.multiplier

    def raw_weights(self, clouds, spec):
        """Raw weight of each cloud (CloudFacts), in the order given."""
        return [self.raw_weight(cloud, spec) for cloud in clouds]

    def raw_weight(self, cloud, spec):
        raise NotImplementedError()


class FreeQuotaWeigher(BaseWeigher):
    """Fraction of quota left after this instance (the scarcest resource).

    ``spread`` prefers the most free cloud, ``pack`` the least free one
    that still fits; ``round_robin`` ignores it.
    """

    name = "free_quota"
    minval = 0.0
    maxval = 1.0
    multipliers = {SPREAD: 1.0, PACK: -1.0, ROUND_ROBIN: 0.0}

    def weight_multiplier(self, strategy):
        return self.multipliers[strategy]

    def raw_weight(self, cloud, spec):
        return cloud.fraction_left(spec.flavors[cloud.name].usage,
                                   spec.reserved.get(cloud.name))


class OperatorWeigher(BaseWeigher):
    """The operator's ``[cloud:NAME] weight``, relative to the highest."""

    name = "operator"
    minval = 0.0

    def raw_weight(self, cloud, spec):
        return cloud.weight


class FailureWeigher(BaseWeigher):
    """Recent consecutive failures push a cloud down, up to ``maxval``."""

    name = "failures"
    multiplier = -1.0
    minval = 0
    maxval = 3

    def raw_weight(self, cloud, spec):
        return cloud.recent_failures


class LatencyWeigher(BaseWeigher):
    """Slow API answers push a cloud down; unknown counts as the slowest.

    On a fixed 0..``maxval`` ms scale: a few milliseconds between two
    healthy clouds must not outweigh their free quota.
    """

    name = "latency"
    multiplier = -0.5
    minval = 0.0
    maxval = 1000.0

    def raw_weights(self, clouds, spec):
        known = [c.latency_ms for c in clouds if c.latency_ms is not None]
        slowest = max(known) if known else 0.0
        return [slowest if c.latency_ms is None else c.latency_ms
                for c in clouds]


DEFAULT_WEIGHERS = (
    FreeQuotaWeigher(),
    OperatorWeigher(),
    FailureWeigher(),
    LatencyWeigher(),
)


def weigh(weighers, clouds, spec, strategy):
    """Scores of ``clouds``, as ``[(score, {weigher: part})]`` in order."""
    parts = [{} for _ in clouds]
    for weigher in weighers:
        multiplier = weigher.weight_multiplier(strategy)
        values = normalize(weigher.raw_weights(clouds, spec),
                           weigher.minval, weigher.maxval)
        for cloud_parts, value in zip(parts, values):
            cloud_parts[weigher.name] = multiplier * value + 0.0  # no -0.0
    return [(sum(p.values()), p) for p in parts]
