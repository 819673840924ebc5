"""Launch servers where placement says, fail over, and clean up leaks.

Modelled on nodepool's launcher: a launch tries the ranked clouds in turn
(at most ``[placement] max_attempts``); a cloud that refuses for quota,
puts the server in ERROR, does not make it ACTIVE within ``launch_timeout``
or cannot be reached loses the attempt: what was created there is deleted
and its disappearance confirmed before the next cloud is tried.

What cannot be deleted then (the cloud went away) is a leak. ``cleanup``
finds MultiOS servers in ERROR, or still building long after any launcher
would have given up, and deletes them on the second pass that sees them,
as nodepool does. First sightings are kept in a small JSON file (the
server's own metadata cannot be written while it is in ERROR).
"""

from concurrent import futures
import contextlib
import dataclasses
import fcntl
import json
import os
import threading
import time

from novaclient import exceptions as nova_exc
from oslo_log import log as logging
from oslo_utils import timeutils

from multios import conf as multios_conf
from multios import context as multios_context
from multios import exception
from multios import federation as federation_mod
from multios import placement as placement_mod
from multios.placement import manager as placement_manager
from multios.placement import model

LOG = logging.getLogger(__name__)

#: Seconds between two looks at a server being built or deleted.
POLL_INTERVAL = 1.0
#: Most instances of one ``--count`` request launched at the same time.
MAX_PARALLEL_LAUNCHES = 16
#: Seconds an abandoned attempt is remembered by ``cleanup``.
ABANDONED_TTL = 86400
#: Where ``cleanup`` remembers its first sightings, unless told otherwise.
DEFAULT_LEAK_FILE = os.path.join(
    os.environ.get('XDG_STATE_HOME') or os.path.expanduser('~/.local/state'),
    'multios', 'leaks.json')

ACTIVE = 'active'
QUOTA = 'quota'
ERROR = 'error'
TIMEOUT = 'timeout'
UNAVAILABLE = 'unavailable'
REFUSED = 'refused'


@dataclasses.dataclass(frozen=True)
class Attempt:
    """One try of one instance on one cloud; ``outcome`` is ACTIVE..."""

    cloud: str
    outcome: str
    reason: str

    def to_dict(self):
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Launch:
    """An instance that became ACTIVE, and how it got there."""

    server: federation_mod.Server
    cloud: str
    attempts: list

    def to_dict(self):
        return {'server': self.server.to_dict(), 'cloud': self.cloud,
                'attempts': [a.to_dict() for a in self.attempts]}


class _AttemptFailed(Exception):
    """Ends one attempt; ``server_id`` is what it leaves to delete."""

    def __init__(self, outcome, reason, server_id=None):
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason
        self.server_id = server_id


def classify(error):
    """(outcome, one-line reason) of an error raised by a cloud call."""
    if isinstance(error, exception.CloudUnavailable):
        return UNAVAILABLE, federation_mod.describe(error)
    if isinstance(error, (nova_exc.Forbidden, nova_exc.OverLimit)):
        return QUOTA, federation_mod.describe(error)
    return REFUSED, federation_mod.describe(error)


def _fault_message(server):
    fault = getattr(server, 'fault', None) or {}
    return (fault.get('message') or '').strip()


def fault_outcome(fault):
    """Outcome of a server that went to ERROR with ``fault`` (message)."""
    return QUOTA if 'quota' in (fault or '').lower() else ERROR


class LeakBook:
    """What cleanup remembers between passes and processes: a JSON file.

    ``abandoned``: attempts given up while a server may exist (create got
    no answer, or the delete failed), by cloud/request_id/name; such a
    server is a leak whatever its status. ``sightings``: leak candidates
    seen by a pass, by cloud/server_id; the next pass deletes them. Values
    are UNIX times. A lock file serialises writers, threads and processes.
    """

    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def editing(self):
        """Yield the state to modify in place; it is written back after."""
        os.makedirs(os.path.dirname(self.path) or '.', exist_ok=True)
        with self._lock, open(self.path + '.lock', 'a') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            state = self._load()
            yield state
            temporary = self.path + '.tmp'
            with open(temporary, 'w') as f:
                json.dump(state, f, indent=1, sort_keys=True)
            os.replace(temporary, self.path)

    def _load(self):
        state = {'abandoned': {}, 'sightings': {}}
        try:
            with open(self.path) as f:
                state.update(json.load(f))
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as e:
            LOG.warning('Ignoring unreadable leak file %(path)s: %(err)s',
                        {'path': self.path, 'err': e})
        return state

    def abandon(self, cloud, request_id, name):
        with self.editing() as state:
            state['abandoned'][abandoned_key(cloud, request_id, name)] = (
                time.time())


def abandoned_key(cloud, request_id, name):
    return '%s/%s/%s' % (cloud, request_id, name)


def sighting_key(server):
    return '%s/%s' % (server.cloud, server.id)


class Launcher:

    def __init__(self, federation, placement=None, conf=multios_conf.CONF,
                 leak_file=DEFAULT_LEAK_FILE, poll_interval=POLL_INTERVAL,
                 clock=time.monotonic, sleep=time.sleep):
        self.federation = federation
        self.placement = placement or placement_mod.Placement(federation,
                                                              conf)
        self.conf = conf
        self.leaks = LeakBook(leak_file)
        self.poll_interval = poll_interval
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._running = set()
        self._reserve_lock = threading.Lock()
        self._cleanup_lock = threading.Lock()

    # Launch

    def launch(self, context, request, progress=None):
        """Launch ``request.count`` servers -> list of Launch.

        Raises NoValidCloud when placement cannot fit them all, LaunchFailed
        (``attempts``: every attempt of the failed instances; ``launches``:
        the instances that did start) when an instance failed everywhere.
        """
        progress = progress or (lambda line: None)
        self.placement.validate(request)
        snapshot = self.placement.snapshot()
        reserved = model.Usage()
        ranking = self.placement.rank(request, snapshot, reserved,
                                      commit=True)
        if len(ranking.plan) < request.count:
            raise _no_valid_cloud(request, ranking)
        names = _server_names(request)
        with self._lock:
            self._running.add(context.request_id)
        try:
            with futures.ThreadPoolExecutor(
                    min(request.count, MAX_PARALLEL_LAUNCHES),
                    thread_name_prefix='multios-launch') as pool:
                jobs = [pool.submit(self._launch_one, context, request, name,
                                    first, snapshot, reserved, progress)
                        for name, first in zip(names, ranking.plan)]
                outcomes = [job.result() for job in jobs]
        finally:
            with self._lock:
                self._running.discard(context.request_id)
            for cloud in {c.cloud for c in ranking.plan}:
                self.placement.invalidate(cloud)
        launched = [o for o in outcomes if isinstance(o, Launch)]
        failed = [o for o in outcomes if not isinstance(o, Launch)]
        if failed:
            error = exception.LaunchFailed(
                attempts=[a for attempts in failed for a in attempts])
            error.launches = launched
            raise error
        return launched

    def _launch_one(self, context, request, name, candidate, snapshot,
                    reserved, progress):
        """Launch for one instance -> Launch, or its list of Attempts."""
        attempts = []
        tried = set()
        max_attempts = self.conf.placement.max_attempts
        while candidate is not None:
            tried.add(candidate.cloud)
            progress('%s: launching on %s' % (name, candidate.cloud))
            try:
                server = self._attempt(context, name, candidate)
            except _AttemptFailed as failure:
                attempt = Attempt(candidate.cloud, failure.outcome,
                                  failure.reason)
                attempts.append(attempt)
                progress('%s: %s failed (%s): %s' % (
                    name, candidate.cloud, failure.outcome, failure.reason))
                self._give_up(context, name, candidate, failure, snapshot,
                              reserved, progress)
            else:
                attempts.append(Attempt(candidate.cloud, ACTIVE, 'ACTIVE'))
                progress('%s: ACTIVE on %s' % (name, candidate.cloud))
                return Launch(server, candidate.cloud, attempts)
            if len(attempts) >= max_attempts:
                break
            candidate = self._next_candidate(request, snapshot, reserved,
                                             tried)
        return attempts

    def _next_candidate(self, request, snapshot, reserved, tried):
        single = dataclasses.replace(request, count=1)
        with self._reserve_lock:
            ranking = self.placement.rank(single, snapshot, reserved,
                                          frozenset(tried), commit=True)
        return ranking.plan[0] if ranking.plan else None

    def _attempt(self, context, name, candidate):
        """Create the server and wait for ACTIVE -> Server."""
        cloud = self.federation.cloud(candidate.cloud)
        metadata = {federation_mod.META_PROJECT_ID: context.project_id,
                    federation_mod.META_USER_ID: context.user_id,
                    federation_mod.META_REQUEST_ID: context.request_id}
        try:
            server_id = cloud.call(cloud.nova.servers.create, name,
                                   candidate.image, candidate.flavor,
                                   meta=metadata, nics='auto').id
        except Exception as e:
            raise _AttemptFailed(*classify(e))
        deadline = self._clock() + self.conf.placement.launch_timeout
        while True:
            try:
                server = cloud.call(cloud.nova.servers.get, server_id)
            except Exception as e:
                raise _AttemptFailed(*classify(e), server_id=server_id)
            if server.status == 'ACTIVE':
                return federation_mod.Server.from_nova(cloud.name, server)
            if server.status == 'ERROR':
                fault = _fault_message(server)
                raise _AttemptFailed(fault_outcome(fault),
                                     'ERROR: %s' % (fault or 'no fault'),
                                     server_id)
            if self._clock() >= deadline:
                raise _AttemptFailed(
                    TIMEOUT, 'not ACTIVE within %ds (still %s)' % (
                        self.conf.placement.launch_timeout, server.status),
                    server_id)
            self._sleep(self.poll_interval)

    def _give_up(self, context, name, candidate, failure, snapshot,
                 reserved, progress):
        """Undo a failed attempt and tell placement what it learnt."""
        cloud = self.federation.cloud(candidate.cloud)
        left = None
        if failure.server_id:
            left = self._destroy(cloud, failure.server_id)
        elif failure.outcome == UNAVAILABLE:
            left = 'the create request got no answer'
        if left:
            self.leaks.abandon(cloud.name, context.request_id, name)
            progress('%s: %s may have left a server, for cleanup: %s' % (
                name, cloud.name, left))
        else:
            with self._reserve_lock:
                reserved.remove(candidate.cloud, placement_manager.usage_on(
                    snapshot, candidate))
        if failure.outcome == QUOTA:
            self.placement.invalidate(candidate.cloud)
        elif failure.outcome in (ERROR, TIMEOUT):
            cloud.health.failure(failure.reason)

    def _destroy(self, cloud, server_id):
        """Delete and wait for 404 -> None, or why it may still be there."""
        deadline = self._clock() + self.conf.placement.launch_timeout
        call = cloud.nova.servers.delete
        while True:
            try:
                cloud.call(call, server_id)
            except nova_exc.NotFound:
                return None
            except Exception as e:
                return federation_mod.describe(e)
            if self._clock() >= deadline:
                return 'not deleted within %ds' % (
                    self.conf.placement.launch_timeout)
            call = cloud.nova.servers.get
            self._sleep(self.poll_interval)

    # Cleanup

    def cleanup(self):
        """Delete leaked MultiOS servers seen on two passes -> [Server]."""
        admin = multios_context.get_admin_context()
        result = self.federation.list_servers(admin, all_tenants=True)
        unread = {e.cloud for e in result.errors}
        deleted = []
        with self.leaks.editing() as state:
            now = time.time()
            seen, abandoned = state['sightings'], state['abandoned']
            sightings = {key: when for key, when in seen.items()
                         if key.partition('/')[0] in unread}
            for server in result.items:
                if not self._is_leak(server, abandoned):
                    continue
                key = sighting_key(server)
                if key not in seen:
                    LOG.info('Possible leak %(key)s (%(status)s): deleted '
                             'if still there next pass',
                             {'key': key, 'status': server.status})
                    sightings[key] = now
                elif self._delete_leak(server):
                    deleted.append(server)
                    abandoned.pop(abandoned_key(
                        server.cloud, server.request_id, server.name), None)
                else:
                    sightings[key] = seen[key]
            state['sightings'] = sightings
            state['abandoned'] = {key: when
                                  for key, when in abandoned.items()
                                  if now - when < ABANDONED_TTL}
        return deleted

    def _is_leak(self, server, abandoned):
        """A MultiOS server whose launch failed or was abandoned.

        Statuses a user can reach (SHUTOFF, PAUSED...) are never leaks.
        """
        if not server.is_multios:
            return False
        with self._lock:
            if server.request_id in self._running:
                return False
        if server.status == 'ERROR' or abandoned_key(
                server.cloud, server.request_id, server.name) in abandoned:
            return True
        if server.status != 'BUILD' or not server.created:
            return False
        age = timeutils.delta_seconds(timeutils.parse_isotime(server.created),
                                      timeutils.utcnow(with_timezone=True))
        return age > self.conf.placement.launch_timeout

    def _delete_leak(self, server):
        try:
            self.federation.cloud(server.cloud).delete_server(server.id)
        except nova_exc.NotFound:
            pass
        except Exception as e:
            LOG.warning('Cannot delete leaked server %(id)s on %(cloud)s: '
                        '%(reason)s', {'id': server.id, 'cloud': server.cloud,
                                       'reason': federation_mod.describe(e)})
            return False
        LOG.info('Deleted leaked server %(id)s (%(status)s) on %(cloud)s',
                 {'id': server.id, 'status': server.status,
                  'cloud': server.cloud})
        return True


def _server_names(request):
    """One name, or ``name-1``... ``name-N`` as Nova names a multi-create."""
    if request.count == 1:
        return [request.name]
    return ['%s-%d' % (request.name, i + 1) for i in range(request.count)]


def _no_valid_cloud(request, ranking):
    rejections = ranking.unplaced or ranking.rejected
    reason = '; '.join('%s: %s' % (r.cloud, r.reason) for r in rejections)
    if ranking.plan:
        reason = 'only %d of %d instances fit; %s' % (
            len(ranking.plan), request.count, reason)
    return exception.NoValidCloud(rejections=rejections,
                                  reason=reason or 'no cloud is configured')
