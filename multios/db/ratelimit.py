# SPDX-License-Identifier: Apache-2.0
"""A sliding-window rate limit counted in the database.

Every API worker on every host counts in the same table, so the limit is
the operator's figure however many processes serve the API. The key's row
is locked for the decision, so concurrent hits never both take the last
slot.
"""

import datetime
import math

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa

from multios.db import models


def _lock_key(session, key):
    """Lock the key's row, creating it on first use."""
    if session.get(models.RateLimitKey, key, with_for_update=True) is None:
        session.add(models.RateLimitKey(key=key))
        session.flush()


def _hit(session, key, limit, period):
    _lock_key(session, key)
    now = timeutils.utcnow()
    window_start = now - datetime.timedelta(seconds=period)
    hits = models.RateLimitHit
    session.execute(sa.delete(hits).where(hits.key == key,
                                          hits.hit_at <= window_start))
    oldest, count = session.execute(
        sa.select(sa.func.min(hits.hit_at), sa.func.count(hits.id))
        .where(hits.key == key)).one()
    if count >= limit:
        return max(1, math.ceil(period - (now - oldest).total_seconds()))
    session.add(hits(key=key, hit_at=now))
    return None


def hit(db, key, limit, period):
    """Record a hit for ``key`` -> None when allowed, else Retry-After (s).

    ``limit`` hits are allowed within any ``period`` seconds; 0 disables.
    """
    if not limit:
        return None
    try:
        return db.run(_hit, key, limit, period)
    except db_exc.DBDuplicateEntry:  # another worker made the key first
        return db.run(_hit, key, limit, period)
