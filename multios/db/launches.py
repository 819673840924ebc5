# SPDX-License-Identifier: Apache-2.0
"""The transactions of durable launches: record, claim, adopt, cancel.

Each function takes the ``session`` of a transaction its caller opened
(``Database.run``), so that a state change and the decisions it depends on
commit together. Ownership is checked by ``claim``: an update of the launch
row guarded by its owner, which also locks the row for the transaction.
"""

import json

from oslo_utils import timeutils
import sqlalchemy as sa

from multios.db import models
from multios import exception
from multios.launches import states


class LostOwnership(Exception):
    """Another process owns the launch now; stop touching it."""


def create(session, context, spec, names, owner):
    """Record a launch of ``names`` (one instance each) -> Launch.

    Its instances start ``pending``; the caller places them.
    """
    now = timeutils.utcnow()
    launch = models.Launch(
        id=context.request_id, project_id=context.project_id,
        user_id=context.user_id, spec=json.dumps(spec, sort_keys=True),
        status=states.LAUNCH_BUILDING, owner=owner,
        heartbeat_at=now if owner else None, cancel_requested=False,
        created_at=now, updated_at=now)
    launch.instances = [
        models.LaunchInstance(position=position, name=name,
                              state=states.PENDING, updated_at=now,
                              attempts=[])
        for position, name in enumerate(names)]
    session.add(launch)
    return launch


def add_attempt(session, instance, candidate):
    """Place ``instance`` on ``candidate``'s cloud: a new running attempt."""
    now = timeutils.utcnow()
    attempt = models.LaunchAttempt(
        number=len(instance.attempts) + 1, cloud=candidate.cloud,
        flavor_id=candidate.flavor, image_id=candidate.image,
        network_ids=(json.dumps(candidate.networks)
                     if candidate.networks else None),
        leftover=False, started_at=now)
    instance.attempts.append(attempt)
    instance.state = states.PLACED
    instance.cloud = candidate.cloud
    instance.server_id = None
    instance.updated_at = now
    return attempt


def get(session, launch_id):
    launch = session.get(models.Launch, launch_id)
    if launch is None:
        raise exception.LaunchNotFound(launch_id=launch_id)
    return launch


def find(session, project_id=None, unsettled=False, limit=None):
    """Launches, newest first; of one project, or unsettled only."""
    query = sa.select(models.Launch).order_by(
        models.Launch.created_at.desc(), models.Launch.id)
    if project_id is not None:
        query = query.where(models.Launch.project_id == project_id)
    if unsettled:
        query = query.where(models.Launch.status == states.LAUNCH_BUILDING)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def instance(session, instance_id):
    return session.get(models.LaunchInstance, instance_id)


def claim(session, launch_id, owner):
    """Lock the launch for this transaction; LostOwnership if not ours."""
    updated = session.execute(
        sa.update(models.Launch)
        .where(models.Launch.id == launch_id, models.Launch.owner == owner)
        .values(updated_at=timeutils.utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if updated != 1:
        raise LostOwnership(launch_id)


def heartbeat(session, owner, launch_ids):
    """Refresh the heartbeat of the unsettled launches ``owner`` drives."""
    return session.execute(
        sa.update(models.Launch)
        .where(models.Launch.owner == owner,
               models.Launch.id.in_(list(launch_ids)),
               models.Launch.status == states.LAUNCH_BUILDING)
        .values(heartbeat_at=timeutils.utcnow())
        .execution_options(synchronize_session=False)).rowcount


def orphans(session, cutoff):
    """(id, owner) of unsettled launches nobody carries, or whose owner's
    heartbeat is older than ``cutoff``.
    """
    launch = models.Launch
    rows = session.execute(
        sa.select(launch.id, launch.owner)
        .where(launch.status == states.LAUNCH_BUILDING,
               sa.or_(launch.owner.is_(None), launch.heartbeat_at.is_(None),
                      launch.heartbeat_at < cutoff))
        .order_by(launch.created_at))
    return [tuple(row) for row in rows]


def adopt(session, launch_id, old_owner, new_owner, cutoff):
    """Compare-and-swap the owner: True for the one process that wins."""
    launch = models.Launch
    if old_owner is None:
        still_orphan = launch.owner.is_(None)
    else:
        still_orphan = sa.and_(
            launch.owner == old_owner,
            sa.or_(launch.heartbeat_at.is_(None),
                   launch.heartbeat_at < cutoff))
    return session.execute(
        sa.update(launch)
        .where(launch.id == launch_id,
               launch.status == states.LAUNCH_BUILDING, still_orphan)
        .values(owner=new_owner, heartbeat_at=timeutils.utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1


def hand_back(session, owner):
    """Give up every unsettled launch of ``owner``: others adopt them now."""
    return session.execute(
        sa.update(models.Launch)
        .where(models.Launch.owner == owner,
               models.Launch.status == states.LAUNCH_BUILDING)
        .values(owner=None, heartbeat_at=None)
        .execution_options(synchronize_session=False)).rowcount


def request_cancel(session, launch_id):
    """Flag the launch for cancellation; LaunchSettled if it has ended."""
    launch = get(session, launch_id)
    if launch.status != states.LAUNCH_BUILDING:
        raise exception.LaunchSettled(launch_id=launch_id,
                                      status=launch.status)
    launch.cancel_requested = True
    launch.updated_at = timeutils.utcnow()
    return launch


def cancel_requested(session, launch_id, owner):
    """Whether the launch is to be cancelled; LostOwnership if not ours."""
    row = session.execute(
        sa.select(models.Launch.owner, models.Launch.cancel_requested)
        .where(models.Launch.id == launch_id)).one_or_none()
    if row is None or row.owner != owner:
        raise LostOwnership(launch_id)
    return row.cancel_requested


def settle(session, launch):
    """End ``launch`` when every instance has settled -> True if it did."""
    if launch.status != states.LAUNCH_BUILDING:
        return True
    instances = launch.instances
    if any(i.state not in states.INSTANCE_SETTLED for i in instances):
        return False
    now = timeutils.utcnow()
    launch.status = states.launch_status([i.state for i in instances],
                                         launch.cancel_requested)
    launch.reason = '; '.join(
        '%s: %s' % (i.name, i.reason) for i in instances
        if i.state == states.FAILED and i.reason) or None
    launch.settled_at = launch.updated_at = now
    return True


def for_servers(session, server_ids):
    """{server id: LaunchInstance} of the given Nova server ids."""
    if not server_ids:
        return {}
    rows = session.scalars(sa.select(models.LaunchInstance).where(
        models.LaunchInstance.server_id.in_(list(server_ids))))
    return {row.server_id: row for row in rows}
