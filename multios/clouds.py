# SPDX-License-Identifier: Apache-2.0
"""One federated cloud: its session, its Nova client and its health.

Each ``Cloud`` owns one keystoneauth Session (password plugin: the token is
reused and renewed by keystoneauth before it expires, or after a 401) and one
python-novaclient Client, both created on first use under a lock. Every call
goes through ``Cloud.call``, which bounds it (``api_timeout`` on each request,
``max_concurrency`` requests at once), times it and feeds the circuit breaker
in ``Health``.

Given a ``cloud_state.StateFile`` (the CLI does), a cloud's breaker and
token outlive the process: the next process on this host starts where it
stopped, logs in only when the saved token is unusable, and skips a cloud
whose circuit another run opened.
"""

import contextlib
import threading
import time

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
from novaclient import client as nova_client
from novaclient import exceptions as nova_exc
from oslo_log import log as logging

from multios import conf as multios_conf
from multios import exception

LOG = logging.getLogger(__name__)

#: Compute API microversion: server ``addresses`` and metadata, embedded
#: flavor details (2.47) and every other field MultiOS reads.
NOVA_API_VERSION = '2.79'
#: Newest microversion that still proxies images, security groups and
#: networks (removed in 2.36): it works on any Nova, whatever endpoints
#: (Glance, Neutron) the catalog has.
PROXY_VERSION = '2.35'
#: Weight of the newest sample in the latency moving average.
LATENCY_SMOOTHING = 0.3


class Health:
    """Circuit breaker and latency of one cloud, safe across threads.

    ``failure_threshold`` consecutive failures open the circuit: calls are
    refused for ``cooldown`` seconds, then exactly one probe call is let
    through; its success closes the circuit, its failure opens it again.
    """

    def __init__(self, failure_threshold, cooldown, clock=time.monotonic,
                 saved=None):
        """``saved``: a ``cloud_state.CloudEntry`` shared with the other
        processes of this host, or None to keep the state in memory.
        """
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._opened_at = None
        self._probing = False
        self.consecutive_failures = 0
        self.last_error = None
        self.latency_ms = None
        self._saved = saved
        if saved is not None:
            self._restore(saved.load() or {})

    def _restore(self, entry):
        """Take up the state a process saved in ``entry``, if it did.

        The file holds wall-clock times; ``_opened_at`` is on ``clock``.
        """
        failures = entry.get('failures')
        opened_at = entry.get('opened_at')
        if not isinstance(failures, int) or failures < 0 or not (
                opened_at is None or isinstance(opened_at, (int, float))):
            return  # nothing saved, or not by this code
        self.consecutive_failures = failures
        self.last_error = entry.get('last_error')
        self._opened_at = (None if opened_at is None else
                           self._clock() - (time.time() - opened_at))

    def _export(self):
        opened_at = (None if self._opened_at is None else
                     time.time() - (self._clock() - self._opened_at))
        return {'failures': self.consecutive_failures,
                'last_error': self.last_error, 'opened_at': opened_at}

    @contextlib.contextmanager
    def _shared(self):
        """Change the state as this host's processes last left it, and
        save the change (in memory only without ``saved``).
        """
        if self._saved is None:
            yield
            return
        with self._saved.update() as entry:
            self._restore(entry)
            yield
            entry.update(self._export())

    def acquire(self):
        """May a call go out now? Grants an open circuit's single probe."""
        with self._lock:
            if self._opened_at is None:
                return True
            cooling = self._clock() - self._opened_at < self.cooldown
            if self._probing or cooling:
                return False
            self._probing = True
            return True

    def success(self, seconds=None):
        """The cloud answered; ``seconds`` (if measured) feeds the latency."""
        with self._lock:
            self._probing = False
            if self.consecutive_failures or self._opened_at is not None:
                with self._shared():
                    self.consecutive_failures = 0
                    self.last_error = None
                    self._opened_at = None
            if seconds is not None:
                sample = seconds * 1000.0
                if self.latency_ms is None:
                    self.latency_ms = sample
                else:
                    self.latency_ms += LATENCY_SMOOTHING * (
                        sample - self.latency_ms)

    def failure(self, reason):
        """The cloud failed to answer; may open (or re-open) the circuit."""
        with self._lock, self._shared():
            self.consecutive_failures += 1
            self.last_error = reason
            self._probing = False
            if self.consecutive_failures >= self.failure_threshold:
                self._opened_at = self._clock()

    @property
    def circuit_open(self):
        return self._opened_at is not None

    @property
    def state(self):
        """``circuit_open``, ``down`` (last call failed) or ``up``."""
        if self._opened_at is not None:
            return 'circuit_open'
        return 'down' if self.consecutive_failures else 'up'


def failure_reason(error, timeout):
    """One-line reason if ``error`` means the cloud is broken, else None.

    Transport errors, authentication errors and 5xx answers are the cloud's
    failures; other 4xx answers (not found, quota refused...) are not.
    """
    if isinstance(error, ks_exc.ConnectTimeout):
        return 'no answer within %gs' % timeout
    if isinstance(error, ks_exc.ConnectionError):
        return 'cannot connect'
    if isinstance(error, ks_exc.EndpointNotFound):
        return 'no compute endpoint in the service catalog'
    if isinstance(error, ks_exc.HttpError):
        status = http_status(error) or 0
        if status == 401 or status >= 500:
            return 'request refused (HTTP %s)' % status
        return None
    if isinstance(error, ks_exc.ClientException):
        return 'identity failure: %s' % (error.message or type(error).__name__)
    if isinstance(error, nova_exc.ClientException) and (
            (http_status(error) or 0) >= 500):
        return 'compute service error (HTTP %s)' % http_status(error)
    return None


def http_status(error):
    """HTTP status of a novaclient or keystoneauth error, or None.

    novaclient sets ``code`` on the instance and ``http_status`` on each
    class; Horizon's test data replaces these classes' ``__init__`` in the
    whole process, leaving one or the other: read whichever is a number.
    """
    for name in ('code', 'http_status'):
        status = getattr(error, name, None)
        if isinstance(status, int):
            return status
    return None


class Cloud:
    """A federated cloud as the operator's account sees it."""

    def __init__(self, settings, conf=multios_conf.CONF, state_file=None):
        """``state_file``: a ``cloud_state.StateFile`` to keep the breaker
        and the token in beyond this process, or None.
        """
        self.settings = settings
        self.name = settings.name
        self._auth = v3.Password(auth_url=settings.auth_url,
                                 username=settings.username,
                                 password=settings.password,
                                 project_name=settings.project_name,
                                 user_domain_name=settings.user_domain_name,
                                 project_domain_name=(
                                     settings.project_domain_name))
        self._saved = (None if state_file is None else
                       state_file.cloud(self.name, self._auth.get_cache_id()))
        self._saved_token = None  # the AccessInfo the file holds
        self.health = Health(conf.health.failure_threshold,
                             conf.health.cooldown, saved=self._saved)
        self._slots = threading.BoundedSemaphore(settings.max_concurrency)
        self._lock = threading.Lock()
        self._session = None
        self._nova = None
        self._proxy = None

    def __repr__(self):
        return '<Cloud %s>' % self.name

    @property
    def enabled(self):
        return self.settings.enabled

    @property
    def draining(self):
        return self.settings.draining

    @property
    def weight(self):
        return self.settings.weight

    @property
    def network_aliases(self):
        return self.settings.network_aliases

    @property
    def state(self):
        return self.health.state if self.enabled else 'disabled'

    @property
    def session(self):
        """The keystoneauth Session, made on first use."""
        with self._lock:
            if self._session is None:
                if self._saved is not None:
                    self._restore_token()
                s = self.settings
                verify = (s.cacert or True) if s.verify else False
                self._session = ks_session.Session(
                    auth=self._auth, verify=verify, timeout=s.api_timeout)
            return self._session

    def _restore_token(self):
        """Reuse the saved token; keystoneauth logs in again when it has
        expired (or expires within two minutes), and after a 401.
        """
        state = (self._saved.load() or {}).get('auth_state')
        if not state:
            return
        try:
            self._auth.set_auth_state(state)
            token = self._auth.auth_ref
            usable = bool(token.expires and token.project_id and
                          token.user_id)
        except (ValueError, TypeError, KeyError, AttributeError):
            usable = False
        if not usable:
            LOG.debug('Cloud %s: the saved token is unusable', self.name)
            self._auth.set_auth_state(None)
        self._saved_token = self._auth.auth_ref

    def _save_token(self):
        """Save keystoneauth's token if it is not the one saved already."""
        with self._lock:
            token = self._auth.auth_ref
            if token is None or token is self._saved_token:
                return
            self._saved_token = token
            with self._saved.update() as entry:
                entry['auth_state'] = self._auth.get_auth_state()

    @property
    def nova(self):
        """The python-novaclient Client, made on first use."""
        session = self.session
        with self._lock:
            if self._nova is None:
                self._nova = nova_client.Client(
                    NOVA_API_VERSION, session=session,
                    region_name=self.settings.region_name,
                    endpoint_type=self.settings.interface)
            return self._nova

    def call(self, func, *args, **kwargs):
        """Run ``func(*args, **kwargs)`` as one health-tracked call.

        Raises CloudUnavailable when the cloud is disabled, its circuit is
        open, or it fails (see ``failure_reason``); Nova's 4xx errors pass
        through unchanged.
        """
        if not self.enabled:
            raise exception.CloudUnavailable(name=self.name,
                                             reason='disabled')
        timeout = self.settings.api_timeout
        if not self._slots.acquire(timeout=timeout):
            raise exception.CloudUnavailable(
                name=self.name,
                reason='%d requests already running' %
                self.settings.max_concurrency)
        try:
            if not self.health.acquire():
                raise exception.CloudUnavailable(
                    name=self.name,
                    reason='circuit open after %d failures (last: %s)' % (
                        self.health.consecutive_failures,
                        self.health.last_error))
            started = time.monotonic()
            try:
                result = func(*args, **kwargs)
            except Exception as e:
                reason = failure_reason(e, timeout)
                if reason is None:
                    self.health.success()
                    raise
                cause = e
            else:
                self.health.success(time.monotonic() - started)
                if self._saved is not None:
                    self._save_token()
                return result
            # Outside the except block, so that the log line stays one line.
            self.health.failure(reason)
            LOG.warning('Cloud %(name)s failed: %(reason)s',
                        {'name': self.name, 'reason': reason})
            raise exception.CloudUnavailable(
                name=self.name, reason=reason) from cause
        finally:
            self._slots.release()

    def identity(self):
        """(project id, user id) of the operator account in this Keystone."""
        session = self.session
        return self.call(lambda: (session.get_project_id(),
                                  session.get_user_id()))

    def list_servers(self, all_tenants=False):
        """Every server (all pages, detailed) the operator account sees.

        Each server once: Nova dedupes within a page only, and a server
        that moves from its build request to its cell between two pages is
        listed on both; the later record, the cell's, is kept.
        """
        search_opts = {'all_tenants': True} if all_tenants else {}
        servers = self.call(self.nova.servers.list, detailed=True,
                            search_opts=search_opts, limit=-1)
        return list({server.id: server for server in servers}.values())

    def get_server(self, server_id):
        return self.call(self.nova.servers.get, server_id)

    def delete_server(self, server_id):
        return self.call(self.nova.servers.delete, server_id)

    def start_server(self, server_id):
        return self.call(self.nova.servers.start, server_id)

    def stop_server(self, server_id):
        return self.call(self.nova.servers.stop, server_id)

    def reboot_server(self, server_id, reboot_type='SOFT'):
        return self.call(self.nova.servers.reboot, server_id,
                         reboot_type=reboot_type)

    def console_output(self, server_id, length=None):
        return self.call(self.nova.servers.get_console_output, server_id,
                         length=length)

    def flavors(self):
        return self.call(self.nova.flavors.list, detailed=True)

    def _proxy_list(self, path, key):
        """``key`` of Nova's proxy API answer at ``path`` (PROXY_VERSION)."""
        session = self.session
        with self._lock:
            if self._proxy is None:
                self._proxy = adapter.Adapter(
                    session, service_type='compute',
                    interface=self.settings.interface,
                    region_name=self.settings.region_name,
                    default_microversion=PROXY_VERSION)
            proxy = self._proxy
        return self.call(lambda: proxy.get(path).json()[key])

    def images(self):
        """Image dicts (id, name, status...) from Nova's image proxy."""
        return self._proxy_list('/images/detail', 'images')

    def security_groups(self):
        """Security group dicts (id, name...) of the operator's project."""
        return self._proxy_list('/os-security-groups', 'security_groups')

    def networks(self):
        """Network dicts (id, name) the operator's project may boot on."""
        return [{'id': n['id'], 'name': n['label']}
                for n in self._proxy_list('/os-networks', 'networks')]

    def availability_zones(self):
        """Names of the zones with a host to boot on."""
        return [zone.zoneName for zone in self.call(
            self.nova.availability_zones.list, detailed=False)
            if (getattr(zone, 'zoneState', None) or {}).get('available')]

    def usage(self):
        """Instances, cores and RAM (MiB) used and allowed in the project."""
        absolute = self.call(self.nova.limits.get).absolute
        values = {item.name: item.value for item in absolute}
        return {
            'instances': {'used': values.get('totalInstancesUsed'),
                          'limit': values.get('maxTotalInstances')},
            'cores': {'used': values.get('totalCoresUsed'),
                      'limit': values.get('maxTotalCores')},
            'ram': {'used': values.get('totalRAMUsed'),
                    'limit': values.get('maxTotalRAMSize')},
        }
