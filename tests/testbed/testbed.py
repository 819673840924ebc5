# SPDX-License-Identifier: Apache-2.0
"""Start, fault and stop a set of real, independent OpenStack clouds.

Each cloud is two processes on loopback: its own Keystone
(``keystone_service``) and its own Nova (``nova_service``). The supervisor
here starts them all in parallel, registers each Nova in its Keystone's
catalog, creates the ``demo`` project and member user, sets quotas through
Nova's own ``os-quota-sets`` and writes ``multios.conf`` and ``clouds.yaml``
for the operator account (``admin`` in project ``admin``) of every cloud.

Quotas given to the testbed apply to the operator's project, where MultiOS
launches its servers.
"""

import contextlib
import ipaddress
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time

from keystoneauth1 import identity
from keystoneauth1 import session as ks_session
from novaclient import client as nova_client
import yaml

from multios.conf import files
from tests.testbed import serving

LOG = logging.getLogger(__name__)

CLOUD_NAMES = ('alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta',
               'theta', 'iota', 'kappa')
REGION = 'RegionOne'
HOST = '127.0.0.1'
STATE_FILE = 'testbed.json'
PID_FILE = 'testbed.pid'
START_TIMEOUT = 240
USERS = ('admin', 'demo', 'reader')
#: The project of each user, and the role it holds there (the admin is
#: keystone-manage bootstrap's). The reader may read the demo project only.
PROJECTS = {'admin': 'admin', 'demo': 'demo', 'reader': 'demo'}
ROLES = {'demo': 'member', 'reader': 'reader'}
#: The service type multios-api is registered with (multiosclient's).
MULTIOS_SERVICE_TYPE = 'multios'
#: The one network of every cloud (Nova's NeutronFixture's, shared with all).
NETWORK_ID = '3cb9bc59-5699-4588-a4b1-b87f96708bc6'
#: Images every cloud offers. Nova's fake Glance names them all
#: ``fakeimage123456``; placement needs names that tell them apart.
IMAGES = {
    'cirros': '155d900f-4e14-4e4c-a73d-069cbf4541e6',
    'fedora': 'a2459075-d96c-40d5-893e-577ff92e721c',
    'centos': '76fa36fc-c930-4bf3-8c8a-ea2a2420deb6',
}


class TestbedError(Exception):
    """A cloud of the testbed failed to start or to answer."""


def subnets_for(cloud_number):
    """The (IPv4, IPv6) networks of cloud ``cloud_number`` (1-based).

    198.18.0.0/15 is reserved for network testing (RFC 2544) and fd00::/8 is
    unique-local: neither is routed anywhere, and tests configure them only
    inside network namespaces they create.
    """
    return (ipaddress.ip_network('198.18.%d.0/24' % cloud_number),
            ipaddress.ip_network('fd00:198:18:%x::/64' % cloud_number))


def _free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def _rss_kib(pid):
    try:
        with open('/proc/%d/status' % pid) as status:
            for line in status:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class _Service:
    """One service process of a cloud, its log and its readiness line."""

    def __init__(self, cloud, kind, port, pid=None):
        self.cloud = cloud
        self.kind = kind
        self.port = port
        self.pid = pid
        self.process = None
        self.log_path = os.path.join(cloud.directory, kind + '.log')
        self.spec_path = os.path.join(cloud.directory, kind + '.json')
        self.control_path = os.path.join(cloud.directory, kind + '.control')

    def spawn(self, spec):
        self._write_control(serving.OPEN)
        with open(self.spec_path, 'w') as spec_file:
            json.dump(dict(spec, control_file=self.control_path), spec_file,
                      indent=2)
        log = open(self.log_path, 'ab')
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'tests.testbed.%s_service' % self.kind,
             '--spec', self.spec_path],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            cwd=_repository_root(), env=_child_environment())
        log.close()
        self.pid = self.process.pid

    def wait_ready(self, deadline):
        marker = ('%s READY' % self.kind.upper()).encode()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise TestbedError('%s of cloud %s exited (%s); last log '
                                   'lines:\n%s' % (self.kind, self.cloud.name,
                                                   self.process.returncode,
                                                   self.log_tail()))
            with open(self.log_path, 'rb') as log:
                if marker in log.read():
                    return
            time.sleep(0.1)
        raise TestbedError('%s of cloud %s did not start in %ss; last log '
                           'lines:\n%s' % (self.kind, self.cloud.name,
                                           START_TIMEOUT, self.log_tail()))

    def log_tail(self, lines=30):
        with open(self.log_path, 'rb') as log:
            return b''.join(log.readlines()[-lines:]).decode(errors='replace')

    def _write_control(self, state):
        partial = self.control_path + '.partial'
        with open(partial, 'w') as control:
            control.write(state)
        os.replace(partial, self.control_path)

    def set_listening(self, listening):
        """Ask the service to open or close its port (see serving)."""
        self._write_control(serving.OPEN if listening else serving.CLOSED)
        self.signal(signal.SIGCONT)
        self.signal(signal.SIGUSR1)

    def signal(self, signum):
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def terminate(self, timeout=15):
        self.signal(signal.SIGCONT)
        self.signal(signal.SIGTERM)
        if self.process is None:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _repository_root():
    return os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))


def _child_environment():
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        filter(None, [_repository_root(), env.get('PYTHONPATH')]))
    return env


class TestCloud:
    """One cloud of the testbed, as a client and as a fault injector sees it.
    """

    __test__ = False  # not a pytest test class

    def __init__(self, directory, number, name, keystone_port, nova_port,
                 passwords, pids=None):
        self.number = number
        self.name = name
        self.directory = directory
        self.passwords = passwords
        self.auth_url = 'http://%s:%d/v3' % (HOST, keystone_port)
        self.compute_url = 'http://%s:%d/v2.1' % (HOST, nova_port)
        pids = pids or {}
        self.keystone = _Service(self, 'keystone', keystone_port,
                                 pids.get('keystone'))
        self.nova = _Service(self, 'nova', nova_port, pids.get('nova'))
        self._sessions = {}

    @property
    def services(self):
        return (self.keystone, self.nova)

    def credentials(self, user='admin'):
        return {'auth_url': self.auth_url, 'username': user,
                'password': self.passwords[user],
                'project_name': PROJECTS[user],
                'user_domain_name': 'Default',
                'project_domain_name': 'Default'}

    def authtoken_section(self, credentials=None):
        """[keystone_authtoken] validating the tokens of this Keystone.

        The service account is the admin unless ``credentials`` (username,
        password, project_name) name another.
        """
        credentials = credentials or self.credentials('admin')
        options = {
            'www_authenticate_uri': self.auth_url,
            'auth_url': self.auth_url,
            'auth_type': 'password',
            'interface': 'public',
            'username': credentials['username'],
            'password': credentials['password'],
            'project_name': credentials['project_name'],
            'user_domain_name': 'Default',
            'project_domain_name': 'Default',
        }
        return '\n'.join(['[keystone_authtoken]'] + [
            '%s = %s' % (key, files.ini_value(value))
            for key, value in options.items()] + [''])

    def session(self, user='admin', timeout=30):
        if user not in self._sessions:
            auth = identity.Password(**self.credentials(user))
            self._sessions[user] = ks_session.Session(auth=auth,
                                                      timeout=timeout)
        return self._sessions[user]

    def nova_client(self, user='admin', version='2.79', **kwargs):
        return nova_client.Client(version, session=self.session(user),
                                  region_name=REGION, **kwargs)

    def project_id(self, user='admin'):
        return self.session(user).get_project_id()

    def user_id(self, user='admin'):
        return self.session(user).get_user_id()

    # Faults -----------------------------------------------------------------

    def stop(self):
        """Close the cloud's ports: clients get "connection refused"."""
        for service in self.services:
            service.set_listening(False)
        self._wait_ports(open_=False)

    def hang(self):
        """Freeze the cloud: the kernel accepts connections, nobody answers."""
        for service in self.services:
            service.signal(signal.SIGSTOP)

    def start(self):
        """End stop() or hang(): the cloud answers again, state intact."""
        for service in self.services:
            service.set_listening(True)
        self._wait_ports(open_=True)

    @contextlib.contextmanager
    def broken(self, fault):
        """``with cloud.broken('stop'):`` or ``'hang'``; back up after."""
        try:
            getattr(self, fault)()
            yield self
        finally:
            self.start()

    def _wait_ports(self, open_, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            late = [s for s in self.services if _port_open(s.port) != open_]
            if not late:
                return
            if time.monotonic() > deadline:
                service = late[0]
                raise TestbedError(
                    'cloud %s: %s did not %s port %d in %ss; last log '
                    'lines:\n%s' % (self.name, service.kind,
                                    'open' if open_ else 'close',
                                    service.port, timeout,
                                    service.log_tail()))
            time.sleep(0.05)

    def rss_kib(self):
        return sum(_rss_kib(service.pid) for service in self.services
                   if service.pid)

    def to_state(self):
        return {'number': self.number, 'name': self.name,
                'keystone_port': self.keystone.port,
                'nova_port': self.nova.port,
                'pids': {s.kind: s.pid for s in self.services}}


class Testbed:
    """N independent clouds, each with its own Keystone and Nova."""

    __test__ = False  # not a pytest test class

    def __init__(self, clouds=3, directory=None, quotas=None,
                 token_expiration=3600, base_port=None, nova_api_paste=None,
                 nova_token_cache_time=None):
        if not 1 <= clouds <= len(CLOUD_NAMES):
            raise ValueError('clouds must be between 1 and %d'
                             % len(CLOUD_NAMES))
        if directory is None:
            raise ValueError('a directory is required')
        self.directory = os.path.abspath(str(directory))
        self.count = clouds
        self.quotas = self._check_quotas(quotas or {}, clouds)
        self.token_expiration = token_expiration
        self.base_port = base_port
        self.nova_api_paste = nova_api_paste or os.path.join(
            sys.prefix, 'etc', 'nova', 'api-paste.ini')
        # Nova's keystonemiddleware [keystone_authtoken] token_cache_time;
        # None keeps its default (300 s), -1 validates every request.
        self.nova_token_cache_time = nova_token_cache_time
        self.passwords = {user: secrets.token_urlsafe(12) for user in USERS}
        self.clouds = []
        self.startup_seconds = None

    @staticmethod
    def _check_quotas(quotas, clouds):
        for resource, values in quotas.items():
            if len(values) != clouds:
                raise ValueError('quota %s needs %d values, got %d'
                                 % (resource, clouds, len(values)))
        return quotas

    @property
    def config_file(self):
        return os.path.join(self.directory, 'multios.conf')

    @property
    def clouds_yaml(self):
        return os.path.join(self.directory, 'clouds.yaml')

    def cloud(self, name):
        return next(c for c in self.clouds if c.name == name)

    def _ports(self, index):
        if self.base_port:
            return self.base_port + 2 * index, self.base_port + 2 * index + 1
        return _free_port(), _free_port()

    def start(self):
        started = time.monotonic()
        os.makedirs(self.directory, exist_ok=True)
        try:
            self._spawn_all()
            deadline = time.monotonic() + START_TIMEOUT
            for cloud in self.clouds:
                cloud.keystone.wait_ready(deadline)
                self._register(cloud)
            for cloud in self.clouds:
                cloud.nova.wait_ready(deadline)
                self._set_quotas(cloud)
            self._write_files()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started
        return self

    def _spawn_all(self):
        for index in range(self.count):
            number = index + 1
            name = CLOUD_NAMES[index]
            directory = os.path.join(self.directory, name)
            os.makedirs(directory, exist_ok=True)
            keystone_port, nova_port = self._ports(index)
            cloud = TestCloud(directory, number, name, keystone_port,
                              nova_port, self.passwords)
            self.clouds.append(cloud)
            cloud.keystone.spawn({
                'dir': directory, 'host': HOST, 'port': keystone_port,
                'url': cloud.auth_url, 'region': REGION,
                'admin_password': self.passwords['admin'],
                'token_expiration': self.token_expiration})
            cloud.nova.spawn({
                'dir': directory, 'host': HOST, 'port': nova_port,
                'number': number, 'keystone_url': cloud.auth_url,
                'api_paste_config': self.nova_api_paste,
                'token_cache_time': self.nova_token_cache_time,
                'service_user': 'admin', 'service_project': 'admin',
                'service_password': self.passwords['admin']})

    def _register(self, cloud):
        """Catalog entry for Nova, and the demo project with its member."""
        admin = cloud.session('admin')

        def post(path, body):
            return admin.post(cloud.auth_url + path, json=body).json()

        service = post('/services', {'service': {
            'name': 'nova', 'type': 'compute', 'enabled': True}})['service']
        post('/endpoints', {'endpoint': {
            'service_id': service['id'], 'interface': 'public',
            'region_id': REGION, 'url': cloud.compute_url}})
        project = post('/projects', {'project': {
            'name': 'demo', 'domain_id': 'default'}})['project']
        for name, role in ROLES.items():
            user = post('/users', {'user': {
                'name': name, 'domain_id': 'default',
                'password': self.passwords[name],
                'default_project_id': project['id']}})['user']
            roles = admin.get(cloud.auth_url + '/roles?name=' + role).json()
            admin.put(cloud.auth_url + '/projects/%s/users/%s/roles/%s' % (
                project['id'], user['id'], roles['roles'][0]['id']))
        # The catalog changed: let the admin session fetch a new token.
        admin.invalidate()

    def register_multios(self, url):
        """Make ``url`` the one multios endpoint of the home catalog.

        The home (first) cloud's Keystone is MultiOS's identity: clients
        find multios-api there (service type ``multios``), as they find
        Nova. The testbed does not run multios-api; whoever starts one
        registers it here. Tokens issued from now on carry ``url``.
        """
        home = self.clouds[0]
        admin = home.session('admin')
        services = admin.get(home.auth_url + '/services?type=' +
                             MULTIOS_SERVICE_TYPE).json()['services']
        if services:
            service = services[0]
        else:
            service = admin.post(home.auth_url + '/services', json={
                'service': {'name': 'multios', 'enabled': True,
                            'type': MULTIOS_SERVICE_TYPE}}).json()['service']
        endpoints = admin.get(home.auth_url + '/endpoints?service_id=' +
                              service['id']).json()['endpoints']
        for endpoint in endpoints:
            admin.delete(home.auth_url + '/endpoints/' + endpoint['id'])
        admin.post(home.auth_url + '/endpoints', json={'endpoint': {
            'service_id': service['id'], 'interface': 'public',
            'region_id': REGION, 'url': url}})
        admin.invalidate()

    def _set_quotas(self, cloud):
        values = {resource: values[cloud.number - 1]
                  for resource, values in self.quotas.items()}
        if values:
            nova = cloud.nova_client('admin')
            nova.quotas.update(cloud.project_id('admin'), **values)

    def _write_files(self):
        lines = ['[DEFAULT]', 'clouds = %s' % ','.join(
            c.name for c in self.clouds), '']
        clouds_yaml = {'clouds': {}}
        for cloud in self.clouds:
            creds = cloud.credentials('admin')
            lines.append('[cloud:%s]' % cloud.name)
            lines.extend('%s = %s' % (key, files.ini_value(value))
                         for key, value in creds.items())
            lines.extend(['region_name = %s' % REGION, ''])
            auth = dict(creds)
            clouds_yaml['clouds'][cloud.name] = {
                'auth': auth, 'region_name': REGION,
                'identity_api_version': 3}
        self._write_private(self.config_file, '\n'.join(lines))
        self._write_private(self.clouds_yaml,
                            yaml.safe_dump(clouds_yaml, sort_keys=False))
        self._write_private(os.path.join(self.directory, STATE_FILE),
                            json.dumps(self.to_state(), indent=2))

    @staticmethod
    def _write_private(path, text):
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                  'w', encoding='utf-8') as out:
            out.write(text)

    def to_state(self):
        return {'passwords': self.passwords,
                'clouds': [c.to_state() for c in self.clouds]}

    @classmethod
    def attach(cls, directory):
        """The testbed already running in ``directory`` (not owned here)."""
        with open(os.path.join(directory, STATE_FILE)) as state_file:
            state = json.load(state_file)
        testbed = cls(clouds=len(state['clouds']), directory=directory)
        testbed.passwords = state['passwords']
        testbed.clouds = [
            TestCloud(os.path.join(testbed.directory, c['name']), c['number'],
                      c['name'], c['keystone_port'], c['nova_port'],
                      testbed.passwords, c['pids'])
            for c in state['clouds']]
        return testbed

    def rss_mib(self):
        return sum(cloud.rss_kib() for cloud in self.clouds) / 1024.0

    def stop(self):
        for cloud in self.clouds:
            for service in cloud.services:
                service.signal(signal.SIGCONT)
                service.signal(signal.SIGTERM)
        for cloud in self.clouds:
            for service in cloud.services:
                service.terminate()
