# SPDX-License-Identifier: Apache-2.0
"""One instance of a launch, carried from state to state until it settles.

Modelled on nodepool's launcher and its state machine: an instance is
placed on the best cloud, created there and waited for; a cloud that
refuses for quota, puts the server in ERROR, does not make it ACTIVE
within ``[placement] launch_timeout`` or cannot be reached loses the
attempt: what may exist there is deleted and its disappearance confirmed,
then the next cloud is tried (at most ``[placement] max_attempts``). Just
before a create, the launch's public key is imported into that cloud
(multios/launches/keypairs.py keeps the books).

Every state is written in its own transaction before the cloud call that
follows it and after the call that caused it, so that another process can
adopt the instance at any point (doc/source/contributor/launches.rst): an
adopted ``placed`` instance is first looked for on its cloud, by name and
``multios:request_id``, before it is created again.
"""

import dataclasses
import datetime
import json
import re
import time

from novaclient import exceptions as nova_exc
from oslo_log import log as logging
from oslo_utils import timeutils

from multios.db import launches as launches_db
from multios.db import quota as quota_db
from multios import exception
from multios import federation as federation_mod
from multios import keypairs
from multios.launches import keypairs as keypairs_book
from multios.launches import states
from multios.placement import manager as placement_manager
from multios.placement import model
from multios import userdata

LOG = logging.getLogger(__name__)

#: Seconds between retries of a state change while the database is down.
DB_RETRY_INTERVAL = (0.5, 10.0)


class Stopped(Exception):
    """The process is stopping: leave the instance as it is recorded."""


def classify(error):
    """(outcome, one-line reason) of an error raised by a cloud call."""
    if isinstance(error, exception.CloudUnavailable):
        return states.OUTCOME_UNAVAILABLE, federation_mod.describe(error)
    if isinstance(error, (nova_exc.Forbidden, nova_exc.OverLimit)):
        return states.OUTCOME_QUOTA, federation_mod.describe(error)
    return states.OUTCOME_REFUSED, federation_mod.describe(error)


def fault_outcome(fault):
    """Outcome of a server that went to ERROR with ``fault`` (message)."""
    return (states.OUTCOME_QUOTA if 'quota' in (fault or '').lower()
            else states.OUTCOME_ERROR)


def _fault_message(server):
    fault = getattr(server, 'fault', None) or {}
    return (fault.get('message') or '').strip()


def _scheduled(server):
    """Nova counts the server in its usage (its cell has it) by now."""
    return (server.status != 'BUILD' or
            getattr(server, 'OS-EXT-STS:task_state', None) not in (
                'scheduling', None))


@dataclasses.dataclass
class Step:
    """What one step knows of its instance, read in one transaction."""

    launch_id: str
    project_id: str
    user_id: str
    spec: dict
    cancel: bool
    instance_id: int
    name: str
    state: str
    tried: frozenset
    attempts: int
    attempt_id: int = None
    cloud: str = None
    flavor_id: str = None
    image_id: str = None
    network_ids: list = None
    server_id: str = None
    started_at: datetime.datetime = None
    outcome: str = None

    @classmethod
    def read(cls, instance):
        launch = instance.launch
        step = cls(launch.id, launch.project_id, launch.user_id,
                   json.loads(launch.spec), launch.cancel_requested,
                   instance.id, instance.name, instance.state,
                   frozenset(a.cloud for a in instance.attempts),
                   len(instance.attempts))
        if instance.attempts:
            attempt = instance.attempts[-1]
            step.attempt_id = attempt.id
            step.cloud = attempt.cloud
            step.flavor_id = attempt.flavor_id
            step.image_id = attempt.image_id
            step.network_ids = (json.loads(attempt.network_ids)
                                if attempt.network_ids else None)
            step.server_id = attempt.server_id
            step.started_at = attempt.started_at
            step.outcome = attempt.outcome
        return step

    def request(self):
        """The LaunchRequest of one more instance like this one."""
        return model.LaunchRequest.from_spec(self.spec, self.name)

    def create_options(self):
        """What Nova's create takes of the spec, but for the key pair.

        novaclient base64-encodes ``userdata`` itself: it gets the bytes.
        """
        spec = self.spec
        user_data = spec.get('user_data')
        return {
            'userdata': (userdata.decode(user_data) if user_data is not None
                         else None),
            'security_groups': spec.get('security_groups') or None,
            'availability_zone': spec.get('availability_zone'),
            'nics': ([{'net-id': network_id}
                      for network_id in self.network_ids]
                     if self.network_ids else 'auto'),
        }


class InstanceLauncher:
    """Carries instances of launches that ``owner`` holds; thread-safe."""

    def __init__(self, db, federation, placement, conf, owner, stopping,
                 sleep=time.sleep):
        self.db = db
        self.federation = federation
        self.placement = placement
        self.conf = conf
        self.owner = owner
        self._stopping = stopping
        self._sleep = sleep
        self.keypairs = keypairs_book.KeyPairBook(
            federation, conf, owner, self._write, self._change, self._pause)

    # The states

    def run(self, instance_id, adopted):
        """Carry the instance until it settles -> its final state.

        ``adopted``: this process took the launch over from a dead owner,
        whose create may have gone out: its first step looks for that
        server before making one. Raises Stopped when the process stops
        first, LostOwnership when another process took the launch over.
        """
        steps = {states.PENDING: self._place,
                 states.PLACED: self._create,
                 states.BUILDING: self._wait_active,
                 states.DELETING: self._delete}
        while True:
            step = self._read(instance_id)
            if step.state in states.INSTANCE_SETTLED:
                return step.state
            self._check_stopping()
            steps[step.state](step, adopted)
            adopted = False

    def _place(self, step, adopted):
        """pending -> placed on the best cloud not tried yet, or failed."""
        if step.cancel:
            return self._change(step, self._cancelled)
        if step.attempts >= self.conf.placement.max_attempts:
            return self._change(step, self._failed)
        request = step.request()
        snapshot = self.placement.snapshot(request)

        def place(session, instance, attempt):
            ranking = self.placement.decide(session, request, snapshot,
                                            exclude=step.tried)
            if not ranking.plan:
                reasons = ranking.unplaced or ranking.rejected
                instance.state = states.FAILED
                instance.reason = _attempts_reason(instance) + (
                    '; no other cloud: %s' % '; '.join(
                        '%s: %s' % (r.cloud, r.reason) for r in reasons)
                    if reasons else '')
                return None
            candidate = ranking.plan[0]
            new = launches_db.add_attempt(session, instance, candidate)
            quota_db.reserve(session, new, placement_manager.usage_on(
                snapshot, candidate))
            return ranking

        ranking = self._change(step, place)
        if ranking is not None:
            self.placement.commit(ranking)

    def _create(self, step, adopted):
        """placed -> building (the create answered), or what failed."""
        cloud = self.federation.cloud(step.cloud)
        server_id = None
        if adopted or step.cancel:
            try:
                found = self._find(cloud, step)
            except Exception as e:
                return self._attempt_failed(step, *classify(e))
            server_id = found[0] if found else None
        if step.cancel:
            if server_id is None:
                return self._change(step, self._cancelled)
            return self._building(step, server_id)
        if server_id is None:
            metadata = {federation_mod.META_PROJECT_ID: step.project_id,
                        federation_mod.META_USER_ID: step.user_id,
                        federation_mod.META_REQUEST_ID: step.launch_id}
            public_key = step.spec.get('public_key')
            key_name = None
            try:
                if public_key:
                    key_name = self.keypairs.ensure(
                        step, cloud, keypairs.parse(public_key))
                    if key_name is None:
                        return None  # the instance moved on meanwhile
                server_id = cloud.call(cloud.nova.servers.create, step.name,
                                       step.image_id, step.flavor_id,
                                       meta=metadata, key_name=key_name,
                                       **step.create_options()).id
            except Exception as e:
                return self._attempt_failed(step, *classify(e))
        self._building(step, server_id)

    def _building(self, step, server_id):
        def building(session, instance, attempt):
            attempt.server_id = instance.server_id = server_id
            instance.state = states.BUILDING
        self._change(step, building)

    def _wait_active(self, step, adopted):
        """building -> active, or deleting when it fails or is cancelled."""
        cloud = self.federation.cloud(step.cloud)
        timeout = self.conf.placement.launch_timeout
        deadline = step.started_at + datetime.timedelta(seconds=timeout)
        counted = False
        while True:
            if self._write(launches_db.cancel_requested, step.launch_id,
                           self.owner):
                return self._to_delete(step, states.OUTCOME_CANCELLED,
                                       'cancelled')
            try:
                server = cloud.call(cloud.nova.servers.get, step.server_id)
            except nova_exc.NotFound:
                return self._to_delete(step, states.OUTCOME_ERROR,
                                       'the server disappeared')
            except Exception as e:
                return self._to_delete(step, *classify(e))
            if not counted and _scheduled(server):
                self._write(quota_db.counted, step.attempt_id)
                counted = True
            if server.status == 'ACTIVE':
                return self._change(step, self._active)
            if server.status == 'ERROR':
                fault = _fault_message(server)
                outcome = fault_outcome(fault)
                if outcome == states.OUTCOME_ERROR:
                    cloud.health.failure(fault or 'server in ERROR')
                else:  # Nova's quota recheck: its usage is not as read
                    self.placement.limits.expire(step.cloud)
                return self._to_delete(step, outcome,
                                       'ERROR: %s' % (fault or 'no fault'))
            if timeutils.utcnow() >= deadline:
                cloud.health.failure('launch timeout')
                return self._to_delete(
                    step, states.OUTCOME_TIMEOUT,
                    'not ACTIVE within %ds (still %s)' % (timeout,
                                                          server.status))
            self._pause()

    def _delete(self, step, adopted):
        """deleting -> pending (next cloud), failed or cancelled.

        What the attempt may have left is deleted and confirmed gone; what
        cannot be is marked ``leftover`` for the leak cleanup.
        """
        cloud = self.federation.cloud(step.cloud)
        try:
            server_ids = ([step.server_id] if step.server_id
                          else self._find(cloud, step))
        except Exception as e:
            left = federation_mod.describe(e)
        else:
            left = None
            for server_id in server_ids:
                left = self._destroy(cloud, server_id) or left

        def deleted(session, instance, attempt):
            if left:
                LOG.warning('%(name)s: %(cloud)s may have left a server, for '
                            'cleanup: %(why)s', {'name': step.name,
                                                 'cloud': step.cloud,
                                                 'why': left})
                attempt.leftover = True
                quota_db.counted(session, attempt.id)
            else:
                quota_db.release(session, attempt.id)
                instance.server_id = None
            attempt.ended_at = attempt.ended_at or timeutils.utcnow()
            if instance.launch.cancel_requested:
                self._cancelled(session, instance, attempt)
            else:
                instance.state = states.PENDING
        self._change(step, deleted)

    # Transitions written by several states

    def _attempt_failed(self, step, outcome, reason):
        """The create failed: nothing exists, unless it got no answer."""
        if outcome == states.OUTCOME_UNAVAILABLE:
            return self._to_delete(step, outcome, reason)
        if outcome == states.OUTCOME_QUOTA:
            self.placement.limits.expire(step.cloud)

        def refused(session, instance, attempt):
            _end(attempt, outcome, reason)
            quota_db.release(session, attempt.id)
            instance.state = states.PENDING
        self._change(step, refused)

    def _to_delete(self, step, outcome, reason):
        def to_delete(session, instance, attempt):
            if attempt.outcome is None:
                _end(attempt, outcome, reason)
            instance.state = states.DELETING
        self._change(step, to_delete)

    @staticmethod
    def _active(session, instance, attempt):
        _end(attempt, states.OUTCOME_ACTIVE, 'ACTIVE')
        quota_db.counted(session, attempt.id)
        instance.state = states.ACTIVE
        instance.reason = None

    @staticmethod
    def _cancelled(session, instance, attempt):
        if attempt is not None:
            if attempt.outcome is None:
                _end(attempt, states.OUTCOME_CANCELLED, 'cancelled')
                quota_db.release(session, attempt.id)
        instance.state = states.CANCELLED
        instance.reason = 'cancelled'

    @staticmethod
    def _failed(session, instance, attempt):
        instance.state = states.FAILED
        instance.reason = _attempts_reason(instance)

    # Cloud calls

    def _find(self, cloud, step):
        """Ids of the servers this attempt may have made on ``cloud``."""
        servers = cloud.call(cloud.nova.servers.list, detailed=True,
                             search_opts={'name': '^%s$' % re.escape(
                                 step.name)})
        return [s.id for s in servers if s.name == step.name and
                (getattr(s, 'metadata', None) or {}).get(
                    federation_mod.META_REQUEST_ID) == step.launch_id]

    def _destroy(self, cloud, server_id):
        """Delete and wait for 404 -> None, or why it may still be there."""
        timeout = self.conf.placement.launch_timeout
        deadline = time.monotonic() + timeout
        call = cloud.nova.servers.delete
        while True:
            try:
                cloud.call(call, server_id)
            except nova_exc.NotFound:
                return None
            except Exception as e:
                return federation_mod.describe(e)
            if time.monotonic() >= deadline:
                return 'not deleted within %ds' % timeout
            call = cloud.nova.servers.get
            self._pause()

    # The database

    def _read(self, instance_id):
        def read(session):
            return Step.read(launches_db.instance(session, instance_id))
        return self._write(read)

    def _change(self, step, change):
        """Apply ``change(session, instance, attempt)`` as the launch's owner.

        One transaction: the ownership check, the change and the time. A
        state that has already moved on (a retried commit that had in fact
        gone through) is left alone.
        """
        def transition(session):
            launches_db.claim(session, step.launch_id, self.owner)
            instance = launches_db.instance(session, step.instance_id)
            if instance.state != step.state:
                return None
            attempt = instance.attempts[-1] if instance.attempts else None
            result = change(session, instance, attempt)
            instance.updated_at = timeutils.utcnow()
            return result
        return self._write(transition)

    def _write(self, func, *args):
        """Run a transaction until it commits, or the process stops.

        A state the cloud already moved to must not be lost because the
        database was away for a while: wait for it to come back.
        """
        delay, longest = DB_RETRY_INTERVAL
        while True:
            try:
                return self.db.run(func, *args)
            except exception.DatabaseUnavailable as error:
                if self._stopping.is_set():
                    raise Stopped() from error
                LOG.warning('Database unavailable, retrying in %.1fs: %s',
                            delay, error)
                self._stopping.wait(delay)
                delay = min(delay * 2, longest)

    def _pause(self):
        self._check_stopping()
        self._sleep(self.conf.engine.poll_interval)

    def _check_stopping(self):
        if self._stopping.is_set():
            raise Stopped()


def _end(attempt, outcome, reason):
    attempt.outcome = outcome
    attempt.reason = reason
    attempt.ended_at = timeutils.utcnow()


def _attempts_reason(instance):
    """'cloud: reason; ...' of an instance's failed attempts."""
    return '; '.join('%s: %s' % (a.cloud, a.reason) for a in instance.attempts
                     if a.outcome != states.OUTCOME_ACTIVE) or 'no attempt'
