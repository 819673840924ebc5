"""Quota shared by every process: Nova's last word plus reservations.

For a cloud whose limits and usage were read from Nova at ``read_at``::

    free = limit - used_at(read_at) - reservations not counted at read_at

A reservation is counted at ``read_at`` when its ``counted_after`` is
older: Nova was known to count the server before that read was sent.
Nova counts an instance once its cell has it, which is after scheduling,
not at the create's answer: ``counted_after`` is set when the server is
seen past scheduling (or its attempt ends), never earlier. A reservation
counted by the newest read is dropped.

A decision locks the ``cloud_usage`` rows it reads (``FOR UPDATE``; on
sqlite the whole database is locked by ``BEGIN IMMEDIATE``), in name order,
so that two processes never both take the last free slot.
"""

import json

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa

from multios.db import models
from multios.placement import model


def read(session, clouds, lock=False):
    """{cloud: (limits, read_at)} of the clouds whose limits were read."""
    query = (sa.select(models.CloudUsage)
             .where(models.CloudUsage.cloud.in_(sorted(clouds)))
             .order_by(models.CloudUsage.cloud))
    if lock:
        query = query.with_for_update()
    return {row.cloud: (_limits(row.limits), row.read_at)
            for row in session.scalars(query) if row.limits}


def _limits(text):
    """JSON {resource: [limit, used]} -> CloudFacts' {resource: (l, u)}."""
    return {resource: tuple(pair) for resource, pair in json.loads(
        text).items()}


def store(db, cloud, limits, read_at):
    """Record a read of ``cloud``'s limits sent at ``read_at``.

    An older read never replaces a newer one (reads race across processes).
    """
    text = json.dumps(limits, sort_keys=True)

    def write(session):
        current = session.get(models.CloudUsage, cloud, with_for_update=True)
        if current is None:
            session.add(models.CloudUsage(cloud=cloud, limits=text,
                                          read_at=read_at))
        elif current.read_at is None or current.read_at < read_at:
            current.limits, current.read_at = text, read_at

    try:
        db.run(write)
    except db_exc.DBDuplicateEntry:  # another process inserted it first
        db.run(write)


def expire(session, cloud):
    """Nova refused for quota: read ``cloud``'s limits again before use."""
    session.execute(sa.update(models.CloudUsage)
                    .where(models.CloudUsage.cloud == cloud)
                    .values(read_at=None)
                    .execution_options(synchronize_session=False))


def reserved(session, usage_rows):
    """model.Usage of the reservations not counted by each cloud's read.

    Reservations that the read already counts are deleted on the way.
    """
    reservation = models.Reservation
    usage = model.Usage()
    for cloud, (_limits_, read_at) in usage_rows.items():
        if read_at is not None:
            session.execute(
                sa.delete(reservation)
                .where(reservation.cloud == cloud,
                       reservation.counted_after < read_at)
                .execution_options(synchronize_session=False))
        totals = session.execute(
            sa.select(sa.func.count(reservation.id),
                      sa.func.sum(reservation.cores),
                      sa.func.sum(reservation.ram))
            .where(reservation.cloud == cloud)).one()
        if totals[0]:
            usage.add(cloud, {'instances': totals[0] or 0,
                              'cores': totals[1] or 0, 'ram': totals[2] or 0})
    return usage


def reserve(session, attempt, usage):
    """``attempt`` holds ``usage`` on its cloud until Nova counts it."""
    session.add(models.Reservation(
        attempt_id=attempt.id, cloud=attempt.cloud,
        instances=usage['instances'], cores=usage['cores'], ram=usage['ram'],
        created_at=timeutils.utcnow()))


def counted(session, attempt_id, when=None):
    """Nova counts the attempt's server from ``when`` (default: now) on."""
    reservation = models.Reservation
    session.execute(
        sa.update(reservation)
        .where(reservation.attempt_id == attempt_id,
               reservation.counted_after.is_(None))
        .values(counted_after=when or timeutils.utcnow())
        .execution_options(synchronize_session=False))


def release(session, attempt_id):
    """The attempt's server is gone: its reservation ends now."""
    session.execute(
        sa.delete(models.Reservation)
        .where(models.Reservation.attempt_id == attempt_id)
        .execution_options(synchronize_session=False))
