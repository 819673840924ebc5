"""Run multios-api against a testbed, as an operator would deploy it.

The API's home identity is the first cloud's Keystone: its tokens are the
ones the API accepts (keystonemiddleware auth_token, real validation).
"""

import contextlib
import os
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.functional import netns
from tests.functional import netns_servers

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PASTE_INI = os.path.join(REPOSITORY, 'etc', 'multios', 'api-paste.ini')
START_TIMEOUT = 60
DELETE_TIMEOUT = 60
LAUNCH = {'server': {'name': 'api-test', 'flavorRef': 'm1.tiny',
                     'imageRef': 'cirros'}}


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def authtoken_section(cloud):
    """[keystone_authtoken] validating the tokens of cloud's Keystone."""
    credentials = cloud.credentials('admin')
    return '\n'.join([
        '[keystone_authtoken]',
        'www_authenticate_uri = %s' % cloud.auth_url,
        'auth_url = %s' % cloud.auth_url,
        'auth_type = password',
        'interface = public',
        'username = %s' % credentials['username'],
        'password = %s' % credentials['password'],
        'project_name = %s' % credentials['project_name'],
        'user_domain_name = Default',
        'project_domain_name = Default',
        '',
    ])


class ApiServer:
    """One multios-api process; ``extra`` is appended to its config.

    ``config_dir`` is given as ``--config-dir`` (its ``*.conf`` files add
    clouds; the directory must exist).
    """

    def __init__(self, testbed, directory, extra='', config_dir=None):
        self.testbed = testbed
        self.config_dir = config_dir
        self.config_file = os.path.join(directory, 'multios-api.conf')
        self.log_file = os.path.join(directory, 'multios-api.log')
        self.port = _free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        with open(testbed.config_file) as base:
            text = base.read()
        with open(os.open(self.config_file,
                          os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                  'w') as config:
            config.write('\n'.join([text, authtoken_section(
                testbed.clouds[0]), extra]))
        self.process = None

    def start(self):
        env = dict(os.environ, PYTHONPATH=REPOSITORY)
        argv = [sys.executable, '-m', 'multios_api_ext.cmd',
                '--config-file', self.config_file, '--port', str(self.port),
                '--paste-config', PASTE_INI]
        if self.config_dir:
            argv += ['--config-dir', self.config_dir]
        with open(self.log_file, 'ab') as log:
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                cwd=REPOSITORY, env=env)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('multios-api exited: %s' % self.log_tail())
            try:
                requests.get(self.url, timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError('multios-api did not start: %s' % self.log_tail())

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines=20):
        with open(self.log_file, 'rb') as log:
            return b''.join(log.readlines()[-lines:]).decode(errors='replace')


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

    def delete(self, path, **kwargs):
        return self('DELETE', path, **kwargs)


def fault(response, name, code):
    assert response.status_code == code, response.text
    body = response.json()
    assert list(body) == [name] and body[name]['code'] == code, body
    return body[name]['message']


def launch(as_client, federation_path):
    """POST a launch of LAUNCH; the launched server's dict."""
    response = as_client.post(federation_path + '/servers', LAUNCH)
    assert response.status_code == 202, response.text
    launched, = response.json()['servers']
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
        ipv4 = [entry['addr'] for server in servers if answering[server['name']]
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
