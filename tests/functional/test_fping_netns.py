# SPDX-License-Identifier: Apache-2.0
"""``multios fping`` against real testbed clouds, inside a network namespace.

The module makes its own namespace and runs there both the testbed (three
clouds) and every ``multios`` command, so that no ping can leave it: the
testbed subnets are blackholed inside it and only the addresses of the
servers meant to be alive are configured on its sink interface. Needs root
(CI runs as root); without it these tests fail, they are never skipped.
"""

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.functional import netns
from tests.testbed import subnets_for

pytestmark = [pytest.mark.functional, pytest.mark.netns]

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
TESTBED_TIMEOUT = 300

OWNER = {'project_id': 'p-owner', 'user_id': 'u-owner'}
OTHER = {'project_id': 'p-other', 'user_id': 'u-other'}
# name: (cloud, owner, has a port, which addresses answer)
SERVERS = {
    'alive-v4': ('alpha', OWNER, True, 4),
    'dead': ('alpha', OWNER, True, None),
    'alive-v6': ('beta', OWNER, True, 6),
    'other-alive': ('beta', OTHER, True, 'all'),
    'other-dead': ('gamma', OTHER, True, None),
    'no-address': ('gamma', OWNER, False, None),
}
OWNER_SERVERS = [name for name, spec in SERVERS.items() if spec[1] is OWNER]


def _environment():
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        filter(None, [REPOSITORY, env.get('PYTHONPATH')]))
    return env


def _answering(addresses, which):
    """The addresses of a server that must answer: IPv4, IPv6 or all."""
    return [entry['addr'] for entries in addresses.values()
            for entry in entries
            if which == 'all' or entry['version'] == which]


class World:
    """The namespace, its testbed and servers, and a way to run multios."""

    def __init__(self, namespace, directory, servers):
        self.namespace = namespace
        self.directory = directory
        self.servers = {server['name']: server for server in servers}

    def id(self, name):
        return self.servers[name]['id']

    def name_of(self, server_id):
        return next(name for name, server in self.servers.items()
                    if server['id'] == server_id)

    def multios(self, *args, as_owner=None, config_files=()):
        """Run ``multios fping ARGS --format json`` inside the namespace."""
        argv = [sys.executable, '-m', 'multios.cmd.cli',
                '--config-file', os.path.join(self.directory, 'multios.conf')]
        for config_file in config_files:
            argv += ['--config-file', config_file]
        argv += ['fping', '--format', 'json', *args]
        if as_owner:
            argv += ['--project-id', as_owner['project_id'],
                     '--user-id', as_owner['user_id']]
        return subprocess.run(self.namespace.command(argv), cwd=REPOSITORY,
                              env=_environment(), capture_output=True,
                              text=True, timeout=120, check=False)

    def alive_map(self, *args, **kwargs):
        """{server name: alive} from a ``multios fping`` that must succeed."""
        process = self.multios(*args, **kwargs)
        assert process.returncode == 0, process.stderr
        answer = json.loads(process.stdout)
        assert answer['errors'] == [], answer
        items = answer['items']
        assert all(set(item) == {'id', 'project_id', 'cloud', 'alive'}
                   for item in items), items
        return {self.name_of(item['id']): item['alive'] for item in items}


@pytest.fixture(scope='module')
def namespace():
    if os.geteuid() != 0:
        pytest.fail('the fping namespace tests need root (CI runs as root)',
                    pytrace=False)
    with netns.NetNamespace() as namespace:
        namespace.blackhole([network for number in (1, 2, 3)
                             for network in subnets_for(number)])
        yield namespace


@pytest.fixture(scope='module')
def testbed_directory(namespace, tmp_path_factory):
    directory = str(tmp_path_factory.mktemp('fping-netns'))
    process = subprocess.Popen(
        namespace.command([sys.executable, '-m', 'tests.testbed', 'up',
                           '--clouds', '3', '--dir', directory]),
        cwd=REPOSITORY, env=_environment(), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        output = []
        for line in process.stdout:
            output.append(line)
            if line.startswith('READY'):
                break
        else:
            pytest.fail('the testbed did not start in the namespace:\n%s'
                        % ''.join(output[-20:]), pytrace=False)
        yield directory
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(TESTBED_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope='module')
def world(namespace, testbed_directory):
    specs = [{'name': name, 'cloud': cloud, 'network': network, **owner}
             for name, (cloud, owner, network, _which) in SERVERS.items()]
    process = subprocess.run(
        namespace.command([sys.executable, '-m',
                           'tests.functional.netns_servers',
                           testbed_directory, json.dumps(specs)]),
        cwd=REPOSITORY, env=_environment(), capture_output=True, text=True,
        timeout=TESTBED_TIMEOUT, check=False)
    assert process.returncode == 0, process.stderr[-2000:]
    world = World(namespace, testbed_directory, json.loads(process.stdout))
    for name, (_cloud, _owner, network, which) in SERVERS.items():
        server = world.servers[name]
        assert server['status'] == 'ACTIVE', server
        assert bool(server['addresses']) == network, (
            'Nova reports no address for %s' % server)
        if which:
            namespace.add_addresses(_answering(server['addresses'], which))
    return world


def test_owner_sees_exact_alive_map(world):
    assert world.alive_map(as_owner=OWNER) == {
        'alive-v4': True, 'dead': False, 'alive-v6': True,
        'no-address': False}


def test_admin_all_tenants_sees_every_server(world):
    assert world.alive_map('--all-tenants') == {
        'alive-v4': True, 'dead': False, 'alive-v6': True,
        'other-alive': True, 'other-dead': False, 'no-address': False}


def test_items_name_project_and_cloud(world):
    process = world.multios(world.id('alive-v6'), as_owner=OWNER)
    assert json.loads(process.stdout)['items'] == [{
        'id': world.id('alive-v6'), 'project_id': OWNER['project_id'],
        'cloud': 'beta', 'alive': True}]


def test_all_tenants_is_forbidden_to_a_member(world):
    process = world.multios('--all-tenants', as_owner=OWNER)
    assert process.returncode == 1
    assert process.stdout == ''
    assert process.stderr.startswith('multios: error: Forbidden')
    assert len(process.stderr.splitlines()) == 1


def test_include_wins_over_exclude(world):
    include = '%s,%s' % (world.id('alive-v4'), world.id('dead'))
    assert world.alive_map('--include', include,
                           '--exclude', world.id('alive-v4'),
                           as_owner=OWNER) == {'alive-v4': True,
                                               'dead': False}


def test_exclude_drops_servers(world):
    exclude = '%s,%s' % (world.id('alive-v4'), world.id('no-address'))
    assert world.alive_map('--exclude', exclude, as_owner=OWNER) == {
        'dead': False, 'alive-v6': True}


def test_member_cannot_include_other_projects_servers(world):
    assert world.alive_map('--include', world.id('other-alive'),
                           as_owner=OWNER) == {}


def test_member_cannot_check_another_projects_server(world):
    process = world.multios(world.id('other-alive'), as_owner=OWNER)
    assert process.returncode == 1
    assert process.stderr == ('multios: error: Server %s could not be '
                              'found.\n' % world.id('other-alive'))


def test_server_without_address_is_not_alive(world):
    assert world.alive_map(world.id('no-address'), as_owner=OWNER) == {
        'no-address': False}


def test_server_turns_alive_when_its_address_answers(world):
    addresses = _answering(world.servers['dead']['addresses'], 'all')
    assert world.alive_map(world.id('dead')) == {'dead': False}
    world.namespace.add_addresses(addresses)
    try:
        assert world.alive_map(world.id('dead')) == {'dead': True}
    finally:
        world.namespace.remove_addresses(addresses)
    assert world.alive_map(world.id('dead')) == {'dead': False}


def test_missing_fping_is_a_clear_error(world, tmp_path):
    config_file = tmp_path / 'no-fping.conf'
    config_file.write_text('[fping]\nfping_path = %s\n'
                           % (tmp_path / 'no-such-fping'))
    process = world.multios(config_files=[str(config_file)])
    assert process.returncode == 1
    assert process.stdout == ''
    assert process.stderr == 'multios: error: fping utility is not found.\n'
