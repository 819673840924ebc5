# SPDX-License-Identifier: Apache-2.0
"""The MultiOS processes that showed a heartbeat lately."""

import datetime

from oslo_utils import timeutils
import sqlalchemy as sa

from multios.db import models


def beat(session, service_id, kind, host, pid, started_at):
    """Record that the process is alive now (inserting it the first time)."""
    now = timeutils.utcnow()
    row = session.get(models.Service, service_id)
    if row is None:
        session.add(models.Service(id=service_id, kind=kind, host=host,
                                   pid=pid, started_at=started_at,
                                   heartbeat_at=now))
    else:
        row.heartbeat_at = now


def remove(session, service_id):
    session.execute(sa.delete(models.Service)
                    .where(models.Service.id == service_id)
                    .execution_options(synchronize_session=False))


def alive(session, kinds, within):
    """Services of ``kinds`` whose heartbeat is at most ``within`` s old."""
    cutoff = timeutils.utcnow() - datetime.timedelta(seconds=within)
    return list(session.scalars(
        sa.select(models.Service)
        .where(models.Service.kind.in_(kinds),
               models.Service.heartbeat_at >= cutoff)
        .order_by(models.Service.heartbeat_at.desc())))
