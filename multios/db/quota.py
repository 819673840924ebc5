# SPDX-License-Identifier: Apache-2.0
"""Quota shared by every process: Nova's last word plus reservations.

For a cloud whose limits and usage were read from Nova at ``read_at``::

    free = limit - used_at(read_at) - reservations not counted at read_at

A reservation is counted at ``read_at`` when its ``counted_after`` is
older: Nova was known to count the server before that read was sent.
Nova counts an instance once its cell has it, which is after scheduling,
not at the create's answer: ``counted_after`` is set when the server is
seen past scheduling (or its attempt ends), never earlier. A reservation
counted by a newer read is dropped when that read is stored.

A decision locks the ``cloud_usage`` rows it reads (``FOR UPDATE``; on
sqlite the whole database is locked by ``BEGIN IMMEDIATE``), in name order,
so that two processes never both take the last free slot.
"""

import functools
import json

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa

from multios.db import models
from multios.placement import model


def read(session, clouds):
    """{cloud: (limits, read_at)} of the clouds whose limits were read."""
    usage = models.CloudUsage
    wanted = set(clouds)
    return {cloud: (_limits(limits), read_at)
            for cloud, limits, read_at in session.execute(
                sa.select(usage.cloud, usage.limits, usage.read_at))
            if limits and cloud in wanted}


def limits_for_decision(session, clouds, lock):
    """{cloud: limits} of the clouds whose limits were read.

    With ``lock``, every row is locked, in name order: they are as many as
    the clouds, and no long IN list is cheaper to send. The read times
    are left in the database: ``reserved`` compares them there.
    """
    usage = models.CloudUsage
    query = sa.select(usage.cloud, usage.limits).order_by(usage.cloud)
    if lock:
        query = query.with_for_update()
    wanted = set(clouds)
    return {cloud: _limits(limits)
            for cloud, limits in session.execute(query)
            if limits and cloud in wanted}


@functools.lru_cache(maxsize=4096)
def _limits(text):
    """JSON {resource: [limit, used]} -> CloudFacts' {resource: (l, u)}.

    Decisions read the same few texts again and again: parsed once each.
    The result is shared: read it, never change it.
    """
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
            # What this read counts needs no reservation any more.
            session.execute(
                sa.delete(models.Reservation)
                .where(models.Reservation.cloud == cloud,
                       models.Reservation.counted_after < read_at)
                .execution_options(synchronize_session=False))

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


def reserved(session, clouds):
    """model.Usage of the reservations not counted by each cloud's read.

    One statement, however many clouds: a decision over a hundred clouds
    must stay a matter of milliseconds. The table holds the instances in
    flight and those Nova counts since the last read only: small.
    """
    reservation = models.Reservation
    usage = models.CloudUsage
    totals = model.Usage()
    for cloud, count, cores, ram in session.execute(
            sa.select(reservation.cloud, sa.func.count(reservation.id),
                      sa.func.sum(reservation.cores),
                      sa.func.sum(reservation.ram))
            .join(usage, usage.cloud == reservation.cloud)
            .where(sa.or_(reservation.counted_after.is_(None),
                          usage.read_at.is_(None),
                          reservation.counted_after >= usage.read_at))
            .group_by(reservation.cloud)):
        if cloud in clouds:
            totals.add(cloud, {'instances': count, 'cores': cores,
                               'ram': ram})
    return totals


def reserve(session, attempt, usage):
    """``attempt`` holds ``usage`` on its cloud until Nova counts it."""
    session.add(models.Reservation(
        attempt=attempt, cloud=attempt.cloud,
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
