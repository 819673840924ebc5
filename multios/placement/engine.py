# SPDX-License-Identifier: Apache-2.0
"""The placement decision: a pure function of a snapshot of cloud facts."""

from multios.placement import filters as filters_mod
from multios.placement import model
from multios.placement import weighers as weighers_mod


def rank(clouds, request, strategy, reserved=None, exclude=frozenset(),
         last=None, size=None, filters=filters_mod.DEFAULT_FILTERS,
         weighers=weighers_mod.DEFAULT_WEIGHERS):
    """Rank ``clouds`` (CloudFacts, configured order) for one instance.

    ``round_robin`` takes the clouds in configured order, starting after
    ``last`` (the cloud it chose before); the other strategies order by
    score.
    """
    spec = filters_mod.PlacementSpec.build(clouds, request, size, reserved,
                                           exclude)
    passed, positions, rejected = [], [], []
    for position, cloud in enumerate(clouds):
        for cloud_filter in filters:
            reason = cloud_filter.reject_reason(cloud, spec)
            if reason:
                rejected.append(model.Rejection(cloud.name, reason))
                break
        else:
            passed.append(cloud)
            positions.append(position)

    scores = weighers_mod.weigh(weighers, passed, spec, strategy)
    networks = request.networks
    candidates = [
        model.Candidate(cloud.name, score, parts,
                        spec.flavors[cloud.name].id,
                        spec.images[cloud.name].id,
                        [cloud.network_ids(name)[0] for name in networks]
                        if networks else None)
        for cloud, (score, parts) in zip(passed, scores)]
    if strategy == weighers_mod.ROUND_ROBIN:
        names = [cloud.name for cloud in clouds]
        start = names.index(last) + 1 if last in names else 0
        order = [(p - start) % len(clouds) for p in positions]
    else:
        # Best score first; ties keep the configured order.
        order = [-candidate.score for candidate in candidates]
    ranked = [c for _, _, c in sorted(
        zip(order, range(len(candidates)), candidates))]
    return model.Ranking(strategy, ranked, rejected)


def plan(clouds, request, strategy, last=None, reserved=None,
         exclude=frozenset()):
    """Rank for the first instance and choose a cloud for each of ``count``.

    Each instance counts the ones placed before it (added to ``reserved``),
    so ``--count`` never plans more than a cloud's quota and follows the
    strategy throughout. When the clouds run out, ``plan`` is short and
    ``unplaced`` says why the next instance found no cloud.
    """
    size = filters_mod.reference_size(clouds, request.flavor)
    reserved = model.Usage() if reserved is None else reserved
    by_name = {cloud.name: cloud for cloud in clouds}
    ranking = None
    for _ in range(request.count):
        current = rank(clouds, request, strategy, reserved, exclude,
                       last=ranking.plan[-1].cloud if ranking else last,
                       size=size)
        ranking = ranking or current
        if not current.best:
            ranking.unplaced = current.rejected
            break
        ranking.plan.append(current.best)
        flavor = by_name[current.best.cloud].find_flavor(
            current.best.flavor)
        reserved.add(current.best.cloud, flavor.usage)
    return ranking
