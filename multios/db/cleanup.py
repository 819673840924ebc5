# SPDX-License-Identifier: Apache-2.0
"""The records of the leak cleanup: candidates, sightings and its lease."""

import datetime

from oslo_utils import timeutils
import sqlalchemy as sa

from multios.db import models
from multios.launches import states

LEASE = 'cleanup'


def take_lease(session, holder, seconds):
    """Hold the cleanup lease for ``seconds`` -> True if this holder has it.

    A lease that expired, or that the holder already has, is taken over;
    one held by another process is not.
    """
    now = timeutils.utcnow()
    until = now + datetime.timedelta(seconds=seconds)
    lease = session.get(models.Lease, LEASE, with_for_update=True)
    if lease is None:
        session.add(models.Lease(name=LEASE, holder=holder, expires_at=until))
        return True
    if lease.holder != holder and lease.expires_at > now:
        return False
    lease.holder, lease.expires_at = holder, until
    return True


def release_lease(session, holder):
    session.execute(sa.delete(models.Lease).where(
        models.Lease.name == LEASE, models.Lease.holder == holder))


def lease_holder(session):
    lease = session.get(models.Lease, LEASE)
    if lease is None or lease.expires_at <= timeutils.utcnow():
        return None
    return lease.holder


def records(session, since):
    """What MultiOS launched and may have left, for launches ended since.

    {launch id: (set of (cloud, name) tried, set of ACTIVE server ids)}:
    a server carrying the launch's ``multios:request_id`` on a cloud where
    one of its instances was tried is the launch's; unless it is the server
    of an instance that ended ACTIVE, it is a leak.
    """
    rows = session.execute(
        sa.select(models.Launch.id, models.LaunchInstance.name,
                  models.LaunchInstance.state,
                  models.LaunchInstance.server_id,
                  models.LaunchAttempt.cloud)
        .join(models.LaunchInstance,
              models.LaunchInstance.launch_id == models.Launch.id)
        .join(models.LaunchAttempt,
              models.LaunchAttempt.instance_id == models.LaunchInstance.id)
        .where(models.Launch.status != states.LAUNCH_BUILDING,
               models.Launch.settled_at >= since))
    found = {}
    for launch_id, name, state, server_id, cloud in rows:
        tried, active = found.setdefault(launch_id, (set(), set()))
        tried.add((cloud, name))
        if state == states.ACTIVE and server_id:
            active.add(server_id)
    return found


def sightings(session):
    """{(cloud, server id): LeakSighting}."""
    return {(s.cloud, s.server_id): s
            for s in session.scalars(sa.select(models.LeakSighting))}


def sight(session, cloud, server_id, launch_id):
    session.add(models.LeakSighting(cloud=cloud, server_id=server_id,
                                    launch_id=launch_id,
                                    first_seen_at=timeutils.utcnow()))


def forget(session, sighting_ids):
    if sighting_ids:
        session.execute(sa.delete(models.LeakSighting).where(
            models.LeakSighting.id.in_(list(sighting_ids))))
