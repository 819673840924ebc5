"""Placement: which cloud should take each instance of a launch request.

``Placement`` reads a snapshot of cloud facts (``facts.gather``) and hands
it to the pure decision (``engine``). The launcher keeps one snapshot for a
whole request and asks again, with the clouds already tried excluded, when
an attempt fails.
"""

import threading
import time

from oslo_log import log as logging

from multios import conf as multios_conf
from multios import exception
from multios import names
from multios.placement import engine
from multios.placement import facts
from multios.placement import quota

LOG = logging.getLogger(__name__)


class Placement:
    """Ranks the clouds for launch requests; one per process is enough.

    It keeps the quota cache and the round_robin turn between requests.
    """

    def __init__(self, federation, conf=multios_conf.CONF,
                 clock=time.monotonic):
        self.federation = federation
        self.conf = conf
        self.quota_cache = quota.QuotaCache(
            conf.placement.quota_cache_ttl, clock)
        self._lock = threading.Lock()
        self._last = None

    @property
    def strategy(self):
        return self.conf.placement.strategy

    def snapshot(self):
        """CloudFacts of every cloud, as of now."""
        return facts.gather(self.federation, self.quota_cache)

    def validate(self, request):
        """Raise Invalid or CloudNotFound for a request that cannot be."""
        if request.count < 1:
            raise exception.Invalid(reason='count must be at least 1')
        for field in ('name', 'flavor', 'image'):
            if not getattr(request, field):
                raise exception.Invalid(reason='%s is required' % field)
        if not names.is_valid(request.name):
            raise exception.Invalid(reason='server name %s must be %s' % (
                exception.short_repr(request.name), names.RULE))
        if request.cloud is not None:
            self.federation.cloud(request.cloud)

    def rank(self, request, snapshot=None, reserved=None,
             exclude=frozenset(), commit=False):
        """Ranking of the clouds for ``request``, with its plan.

        ``reserved`` (model.Usage) is what this request already holds and
        receives what the plan takes. Only a ``commit`` (a launch, not a
        ``--dry-run``) moves round_robin on.
        """
        self.validate(request)
        if snapshot is None:
            snapshot = self.snapshot()
        with self._lock:
            ranking = engine.plan(snapshot, request, self.strategy,
                                  last=self._last, reserved=reserved,
                                  exclude=exclude)
            if commit and ranking.plan:
                self._last = ranking.plan[-1].cloud
        LOG.debug('Placement of %(name)s: plan %(plan)s, rejected %(rej)s',
                  {'name': request.name,
                   'plan': [c.cloud for c in ranking.plan],
                   'rej': ranking.rejected})
        return ranking

    def invalidate(self, cloud_name):
        """The cloud's usage changed: read its limits again next time."""
        self.quota_cache.invalidate(cloud_name)


def usage_on(snapshot, candidate):
    """Quota one instance of ``candidate`` takes on its cloud."""
    cloud = next(c for c in snapshot if c.name == candidate.cloud)
    return cloud.find_flavor(candidate.flavor).usage
