# SPDX-License-Identifier: Apache-2.0
"""Placement: which cloud should take each instance of a launch request.

``Placement`` reads a snapshot of cloud facts (``facts.gather``, outside
any transaction: it talks to clouds) and hands it to the pure decision
(``engine``) with the quota of the database: ``rank`` for a look
(``--dry-run``, ``POST os-federation/placement``), ``decide`` inside the
caller's transaction for a launch, where the clouds' quota rows are locked
until the caller has recorded its reservations.
"""

import threading

from oslo_log import log as logging

from multios import conf as multios_conf
from multios.db import quota as quota_db
from multios import exception
from multios import keypairs
from multios import names
from multios.placement import engine
from multios.placement import facts
from multios.placement import quota
from multios import userdata

LOG = logging.getLogger(__name__)

#: What ``check_known`` looks for: (request field, in words, is the name
#: known on a cloud's facts).
_NAMED = (
    ('networks', 'network',
     lambda cloud, name: bool(cloud.network_ids(name))),
    ('security_groups', 'security group',
     lambda cloud, name: name in (cloud.security_groups or ())),
    ('availability_zone', 'availability zone',
     lambda cloud, name: name in (cloud.availability_zones or ())),
)


class Placement:
    """Ranks the clouds for launch requests; one per process is enough.

    It keeps the round_robin turn between requests (per process).
    """

    def __init__(self, federation, db, conf=multios_conf.CONF):
        self.federation = federation
        self.db = db
        self.conf = conf
        self.limits = quota.SharedLimits(federation, db,
                                         conf.placement.quota_cache_ttl)
        self._lock = threading.Lock()
        self._last = None

    @property
    def strategy(self):
        return self.conf.placement.strategy

    def snapshot(self, request=None):
        """CloudFacts of every cloud, as of now; what ``request`` needs."""
        return facts.gather(self.federation, self.limits, request)

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
        if request.key_name and request.public_key:
            raise exception.Invalid(
                reason='key_name and public_key: give one of them')
        if request.public_key is not None:
            keypairs.parse(request.public_key)
        if request.user_data is not None:
            userdata.decode(request.user_data)
        for field in ('security_groups', 'networks'):
            if not all(getattr(request, field)):
                raise exception.Invalid(reason='%s: an empty name' % field)
        if 'auto' in request.networks:
            raise exception.Invalid(reason='networks: "auto" (Nova\'s '
                                           'choice) or names, not both')
        if request.cloud is not None:
            self.federation.cloud(request.cloud)

    def check_known(self, request, snapshot):
        """Invalid when a name the request gives is known on no cloud.

        Only when every cloud that could take the launch answered: when one
        did not, it may have it, and the ranking says why each cloud was
        rejected instead.
        """
        clouds = [c for c in snapshot if c.enabled and not c.draining and
                  request.cloud in (None, c.name)]
        if not clouds or not all(c.healthy for c in clouds):
            return
        where = ('cloud %s' % request.cloud if request.cloud
                 else 'any cloud')
        for field, what, known in _NAMED:
            value = getattr(request, field)
            for name in value if isinstance(value, tuple) else [value]:
                if name and not any(known(c, name) for c in clouds):
                    raise exception.Invalid(reason='%s: no %s %s on %s' % (
                        field, what, exception.short_repr(name), where))

    def rank(self, request, snapshot=None):
        """The ranking and plan a launch of ``request`` would get now."""
        self.validate(request)
        if snapshot is None:
            snapshot = self.snapshot(request)
        self.check_known(request, snapshot)
        return self.db.run(self._plan, request, snapshot, frozenset(), False)

    def decide(self, session, request, snapshot, exclude=frozenset()):
        """Plan ``request`` in the caller's transaction, quota rows locked.

        The caller records a reservation for each planned instance in the
        same transaction, then calls ``commit``.
        """
        return self._plan(session, request, snapshot, exclude, True)

    def _plan(self, session, request, snapshot, exclude, lock):
        limits = quota_db.limits_for_decision(
            session, [c.name for c in snapshot if c.limits is not None], lock)
        current = [cloud.with_limits(limits[cloud.name])
                   if cloud.name in limits else cloud for cloud in snapshot]
        reserved = quota_db.reserved(session, limits)
        with self._lock:
            ranking = engine.plan(current, request, self.strategy,
                                  last=self._last, reserved=reserved,
                                  exclude=exclude)
        LOG.debug('Placement of %(name)s: plan %(plan)s, rejected %(rej)s',
                  {'name': request.name,
                   'plan': [c.cloud for c in ranking.plan],
                   'rej': ranking.rejected})
        return ranking

    def commit(self, ranking):
        """A launch took ``ranking``'s plan: round_robin moves on."""
        if ranking.plan:
            with self._lock:
                self._last = ranking.plan[-1].cloud


def usage_on(snapshot, candidate):
    """Quota one instance of ``candidate`` takes on its cloud."""
    cloud = next(c for c in snapshot if c.name == candidate.cloud)
    return cloud.find_flavor(candidate.flavor).usage
