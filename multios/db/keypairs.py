# SPDX-License-Identifier: Apache-2.0
"""The transactions of the key pairs MultiOS imports for launches.

A MultiOS key pair on a cloud is shared by every launch of one owner with
one public key (multios/keypairs.py names it). Its ``key_pairs`` row is the
lock that orders "start booting with it" (``use``: before the import and
the create) against "delete it" (``start_delete`` ... ``end_delete``, when
a launch ends): no launch starts booting with a key pair that a process is
deleting, and none is deleted while an unsettled instance has an attempt
with it on that cloud.
"""

from oslo_utils import timeutils
import sqlalchemy as sa

from multios.db import models
from multios.launches import states


def _row(session, cloud, name):
    return session.get(models.KeyPair, (cloud, name), with_for_update=True)


def _deleting(row, stale_before):
    """Another process is deleting it (and has not died doing so)."""
    return row.deleting_by is not None and row.deleting_at >= stale_before


def use(session, attempt, name, stale_before):
    """``attempt`` boots with key pair ``name`` on its cloud -> True.

    False while another process deletes that key pair there: ask again
    later. The row is made by the first use; a deletion begun before
    ``stale_before`` was left by a process that died.
    """
    instance = attempt.instance
    launch = instance.launch
    row = _row(session, attempt.cloud, name)
    if row is None:
        session.add(models.KeyPair(
            cloud=attempt.cloud, name=name, project_id=launch.project_id,
            user_id=launch.user_id, launch_id=launch.id,
            created_at=timeutils.utcnow()))
    elif _deleting(row, stale_before):
        return False
    else:
        row.deleting_by = row.deleting_at = None
    attempt.key_name = name
    return True


def used_by(session, launch_id):
    """(cloud, key pair name) of every attempt of the launch that had one."""
    attempt, instance = models.LaunchAttempt, models.LaunchInstance
    return [tuple(row) for row in session.execute(
        sa.select(attempt.cloud, attempt.key_name).distinct()
        .join(instance, instance.id == attempt.instance_id)
        .where(instance.launch_id == launch_id,
               attempt.key_name.is_not(None))
        .order_by(attempt.cloud, attempt.key_name))]


def recorded(session):
    """(cloud, name) of every key pair MultiOS may have imported."""
    pair = models.KeyPair
    return [tuple(row) for row in session.execute(
        sa.select(pair.cloud, pair.name).order_by(pair.cloud, pair.name))]


def _in_flight(session, cloud, name):
    """An unsettled instance has an attempt with the key pair on cloud."""
    attempt, instance = models.LaunchAttempt, models.LaunchInstance
    return session.execute(
        sa.select(attempt.id)
        .join(instance, instance.id == attempt.instance_id)
        .where(attempt.cloud == cloud, attempt.key_name == name,
               instance.state.not_in(states.INSTANCE_SETTLED))
        .limit(1)).first() is not None


def start_delete(session, cloud, name, holder, stale_before):
    """Take the key pair for deletion -> True, unless it may still be used.

    It may be when another process is deleting it, or when an unsettled
    instance has an attempt with it there (that launch deletes it when it
    ends). Whether a server uses it, Nova tells the holder next.
    """
    row = _row(session, cloud, name)
    if row is None or _deleting(row, stale_before):
        return False
    if _in_flight(session, cloud, name):
        return False
    row.deleting_by, row.deleting_at = holder, timeutils.utcnow()
    return True


def end_delete(session, cloud, name, holder, deleted):
    """The holder deleted the key pair (its row goes), or kept it."""
    row = _row(session, cloud, name)
    if row is None or row.deleting_by != holder:
        return
    if deleted:
        session.delete(row)
    else:
        row.deleting_by = row.deleting_at = None
