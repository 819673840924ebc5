# SPDX-License-Identifier: Apache-2.0
"""Limits and usage of each cloud, shared by every process in the database.

Reading limits costs one API call per cloud; every process reuses the last
read for ``[placement] quota_cache_ttl`` seconds, whoever made it. What
MultiOS launched since a read is counted by the reservations (see
multios/db/quota.py), so a stale read never lets a launch over-commit.
"""

from oslo_utils import timeutils

from multios.db import quota as quota_db
from multios.placement import facts
from multios.placement import model


def from_usage(usage):
    """``Cloud.usage()`` -> ``{resource: (limit, used)}`` for CloudFacts.

    A limit Nova does not report is taken as unlimited.
    """
    limits = {}
    for resource in model.RESOURCES:
        item = usage.get(resource) or {}
        limit = item.get('limit')
        limits[resource] = (-1 if limit is None else limit,
                            item.get('used') or 0)
    return limits


class SharedLimits:
    """Limits of the clouds: the database's copy, or Nova's when stale."""

    def __init__(self, federation, db, ttl):
        self.federation = federation
        self.db = db
        self.ttl = ttl

    def __call__(self, clouds):
        """({name: limits}, {name: why not}) of ``clouds``."""
        stored = self.db.run(quota_db.read, [c.name for c in clouds])
        now = timeutils.utcnow()
        fresh = {name: limits for name, (limits, read_at) in stored.items()
                 if read_at is not None and
                 (now - read_at).total_seconds() < self.ttl}
        stale = [c for c in clouds if c.name not in fresh]
        read, errors = facts.read(self.federation, stale, self._read_nova)
        fresh.update(read)
        return fresh, errors

    def _read_nova(self, cloud):
        read_at = timeutils.utcnow()
        limits = from_usage(cloud.usage())
        quota_db.store(self.db, cloud.name, limits, read_at)
        return limits

    def expire(self, cloud_name):
        """Nova refused for quota: its usage changed behind our back."""
        self.db.run(quota_db.expire, cloud_name)
