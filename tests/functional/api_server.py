# SPDX-License-Identifier: Apache-2.0
"""Run multios-api and multios-engine against a testbed, as deployed.

The API's home identity is the first cloud's Keystone: its tokens are the
ones the API accepts (keystonemiddleware auth_token, real validation). Every
process of one test shares ``[database] connection`` (an sqlite file in the
test's directory unless another database is given), and adopts launches
idle for ADOPT_AFTER seconds.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.functional import netns
from tests.functional import netns_servers
from tests import processes

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PASTE_INI = os.path.join(REPOSITORY, 'etc', 'multios', 'api-paste.ini')
START_TIMEOUT = 60
DELETE_TIMEOUT = 60
#: Seconds a launch waits in these tests to end, boots and fail-overs too.
LAUNCH_TIMEOUT = 300
HEARTBEAT_INTERVAL = 1
ADOPT_AFTER = 5
LAUNCH = {'server': {'name': 'api-test', 'flavorRef': 'm1.tiny',
                     'imageRef': 'cirros'}}


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def shared_state_section(directory, database=None):
    """[DEFAULT] state_path, [database] and [engine] of a test's processes."""
    return '\n'.join([
        '[DEFAULT]',
        'state_path = %s' % directory,
        '[database]',
        'connection = %s' % (database or 'sqlite:///%s' % os.path.join(
            directory, 'multios.sqlite')),
        'mysql_sql_mode = TRADITIONAL',
        '[engine]',
        'heartbeat_interval = %d' % HEARTBEAT_INTERVAL,
        'adopt_after = %d' % ADOPT_AFTER,
        'cleanup_interval = 2',
        'cleanup_min_age = 2',
        '',
    ])


def write_process_config(testbed, path, *sections):
    with open(testbed.config_file, encoding='utf-8') as base:
        text = base.read()
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
              'w', encoding='utf-8') as config:
        config.write('\n'.join((text,) + sections))
    return path


class _Process:
    """A MultiOS service process of a test, its config and its log."""

    command = None
    name = None

    def __init__(self, testbed, directory, extra='', database=None,
                 credentials=None):
        self.testbed = testbed
        self.directory = directory
        self.config_file = os.path.join(directory, '%s-%s.conf' % (
            self.name, id(self)))
        self.log_file = os.path.join(directory, '%s-%s.log' % (
            self.name, id(self)))
        write_process_config(testbed, self.config_file,
                             shared_state_section(directory, database),
                             testbed.clouds[0].authtoken_section(credentials),
                             extra)
        self.process = None

    def spawn(self, *args):
        env = dict(os.environ, PYTHONPATH=REPOSITORY)
        with open(self.log_file, 'ab') as log:
            self.process = subprocess.Popen(
                [sys.executable, '-m', self.command, '--config-file',
                 self.config_file] + list(args),
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                cwd=REPOSITORY, env=env)

    def stop(self):
        processes.terminate(self.process)

    def kill(self):
        """kill -9: no hand-back, no last heartbeat."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def log_tail(self, lines=20):
        with open(self.log_file, 'rb') as log:
            return b''.join(log.readlines()[-lines:]).decode(errors='replace')


class EngineProcess(_Process):
    """One multios-engine process."""

    command = 'multios.cmd.engine'
    name = 'multios-engine'

    def start(self):
        self.spawn()
        return self


class ApiServer(_Process):
    """One multios-api process; ``extra`` is appended to its config.

    ``config_dir`` is given as ``--config-dir`` (its ``*.conf`` files add
    clouds; the directory must exist). Once it serves, its ``/v1`` is the
    multios endpoint of the home catalog (the last one started wins).
    """

    command = 'multios_api_ext.cmd'
    name = 'multios-api'

    def __init__(self, testbed, directory, extra='', database=None,
                 credentials=None, config_dir=None):
        super().__init__(testbed, directory, extra, database, credentials)
        self.config_dir = config_dir
        self.port = _free_port()
        self.url = 'http://127.0.0.1:%d' % self.port

    def start(self):
        args = ['--port', str(self.port), '--paste-config', PASTE_INI]
        if self.config_dir:
            args += ['--config-dir', self.config_dir]
        self.spawn(*args)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('multios-api exited: %s' % self.log_tail())
            try:
                requests.get(self.url, timeout=1)
            except requests.ConnectionError:
                time.sleep(0.2)
                continue
            self.testbed.register_multios(self.url + '/v1')
            return self
        raise RuntimeError('multios-api did not start: %s' % self.log_tail())


class Client:
    """requests with a token; checks what every response must carry."""

    def __init__(self, url, token=None, secrets=()):
        self.url = url
        self.token = token
        self.secrets = secrets

    def __call__(self, method, path, **kwargs):
        headers = kwargs.pop('headers', {})
        if self.token:
            headers['X-Auth-Token'] = self.token
        response = requests.request(method, self.url + path, headers=headers,
                                    timeout=120, **kwargs)
        assert response.headers['x-openstack-request-id'].startswith('req-')
        assert 'Traceback' not in response.text
        assert not any(secret in response.text for secret in self.secrets)
        return response

    def get(self, path, **kwargs):
        return self('GET', path, **kwargs)

    def post(self, path, body, **kwargs):
        return self('POST', path, json=body, **kwargs)

    def put(self, path, body, **kwargs):
        return self('PUT', path, json=body, **kwargs)

    def delete(self, path, **kwargs):
        return self('DELETE', path, **kwargs)


def fault(response, name, code):
    assert response.status_code == code, response.text
    body = response.json()
    assert list(body) == [name] and body[name]['code'] == code, body
    return body[name]['message']


def follow(as_client, location, timeout=LAUNCH_TIMEOUT):
    """GET a launch until it has ended -> its LAUNCH dict."""
    assert location.startswith(as_client.url), location
    path = location[len(as_client.url):]
    deadline = time.monotonic() + timeout
    while True:
        launch_ = as_client.get(path).json()['launch']
        if launch_['status'] != 'building':
            return launch_
        assert time.monotonic() < deadline, 'launch %s did not end' % (
            launch_['id'])
        time.sleep(0.5)


def launch(as_client, federation_path, body=LAUNCH):
    """POST a launch of one server and follow it -> the server's dict."""
    response = as_client.post(federation_path + '/servers', body)
    assert response.status_code == 202, response.text
    ended = follow(as_client, response.headers['Location'])
    assert ended['status'] == 'active', ended
    launched, = ended['servers']
    return launched


def delete_quietly(admin, federation_path, server_id):
    """Clean-up: the test may have deleted it already."""
    admin.delete(federation_path + '/servers/%s' % server_id)


@contextlib.contextmanager
def demo_servers(testbed, namespace, answering):
    """Servers of the demo project on the first cloud: ``{name: id}``.

    One server per name of ``answering``; the IPv4 addresses of those whose
    value is true answer ping inside ``namespace``, the others' stay silent.
    """
    cloud = testbed.clouds[0]
    servers = netns_servers.create_servers(testbed.directory, [{
        'name': name, 'cloud': cloud.name, 'network': True,
        'project_id': cloud.project_id('demo'),
        'user_id': cloud.user_id('demo')} for name in answering])
    try:
        for server in servers:
            assert server['status'] == 'ACTIVE' and server['addresses'], server
        ipv4 = [entry['addr'] for server in servers
                if answering[server['name']]
                for entries in server['addresses'].values()
                for entry in entries if entry['version'] == 4]
        namespace.add_addresses(ipv4)
        try:
            yield {server['name']: server['id'] for server in servers}
        finally:
            namespace.remove_addresses(ipv4)
    finally:
        nova = cloud.nova_client('admin')
        for server in servers:
            nova.servers.delete(server['id'])


def write_fping_wrapper(namespace, path):
    """An fping that runs inside namespace, for [fping] fping_path."""
    with open(path, 'w') as script:
        script.write('#!/bin/sh\nexec %s fping "$@"\n'
                     % ' '.join(namespace.command([])))
    os.chmod(path, 0o755)
    return str(path)


@pytest.fixture(scope='module')
def namespace():
    """A network namespace of the module's own: no ping leaves it."""
    if os.geteuid() != 0:
        pytest.fail('the API fping tests need root (CI runs as root)',
                    pytrace=False)
    with netns.NetNamespace('multios-api-test-%d' % os.getpid()) as ns:
        yield ns


@pytest.fixture(scope='module')
def fping_wrapper(namespace, tmp_path_factory):
    return write_fping_wrapper(
        namespace, tmp_path_factory.mktemp('api-fping') / 'fping')
