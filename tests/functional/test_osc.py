# SPDX-License-Identifier: Apache-2.0
"""``openstack federation ...`` as users run it, against the testbed.

The ``openstack`` command runs as a subprocess with the demo user's
credentials in ``OS_*`` variables; it finds multios-api in the home
Keystone's catalog (service type ``multios``, registered by ApiServer) and
authenticates as for any OpenStack service. Its JSON output is checked
against each cloud's own novaclient. fping runs inside a namespace of the
module's own (api_server's fixtures), so no ping leaves it.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from tests.functional import api_server
from tests.functional import helpers

pytest_plugins = ['tests.functional.api_server']
pytestmark = [pytest.mark.functional]

OPENSTACK = os.path.join(os.path.dirname(sys.executable), 'openstack')
SHUTDOWN, RUNNING = 4, 1
ACTION_TIMEOUT = 120


@pytest.fixture(scope='module')
def api(testbed, tmp_path_factory, fping_wrapper):
    if not shutil.which(OPENSTACK):
        pytest.fail('python-openstackclient is not installed '
                    '(test-requirements.txt)', pytrace=False)
    server = api_server.ApiServer(
        testbed, str(tmp_path_factory.mktemp('multios-api-osc')),
        '[fping]\nfping_path = %s\n' % fping_wrapper).start()
    yield server
    server.stop()


def user_env(testbed, user='demo'):
    """The OS_* variables of ``user`` of the home Keystone, nothing else."""
    credentials = testbed.clouds[0].credentials(user)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith('OS_')}
    env.update(OS_AUTH_URL=credentials['auth_url'],
               OS_USERNAME=credentials['username'],
               OS_PASSWORD=credentials['password'],
               OS_PROJECT_NAME=credentials['project_name'],
               OS_USER_DOMAIN_NAME='Default',
               OS_PROJECT_DOMAIN_NAME='Default',
               OS_IDENTITY_API_VERSION='3',
               PYTHONPATH=api_server.REPOSITORY)
    return env


def openstack(testbed, *args, user='demo', check=True):
    """Run ``openstack federation ARGS`` -> the CompletedProcess."""
    result = subprocess.run([OPENSTACK, 'federation'] + list(args),
                            env=user_env(testbed, user), capture_output=True,
                            text=True, timeout=300, cwd=api_server.REPOSITORY)
    assert testbed.passwords[user] not in result.stdout + result.stderr
    if check:
        assert result.returncode == 0, result.stderr
    return result


def as_json(testbed, *args, user='demo'):
    return json.loads(openstack(testbed, *(args + ('-f', 'json')),
                                user=user).stdout)


@pytest.fixture(scope='module')
def demo_servers(testbed, api):
    """One ACTIVE server of the demo project on alpha and one on gamma."""
    home = testbed.clouds[0]
    metadata = helpers.owner_metadata(home.project_id('demo'),
                                      home.user_id('demo'))
    prefix = 'osc-%s-' % uuid.uuid4().hex[:6]
    made = {}
    try:
        for cloud in (testbed.clouds[0], testbed.clouds[2]):
            made[cloud] = helpers.create_servers(cloud, prefix + cloud.name,
                                                 metadata=metadata)
            helpers.wait_active(cloud, made[cloud])
        yield prefix, {cloud: ids[0] for cloud, ids in made.items()}
    finally:
        for cloud, ids in made.items():
            helpers.delete_servers(cloud, ids)


def test_server_list_is_what_each_novaclient_says(testbed, demo_servers):
    prefix, servers = demo_servers
    rows = as_json(testbed, 'server', 'list', '--name', '^' + prefix)
    truth = []
    for cloud, server_id in servers.items():
        nova = cloud.nova_client('admin').servers.get(server_id)
        truth.append({'ID': nova.id, 'Name': nova.name, 'Cloud': cloud.name,
                      'Status': nova.status,
                      'Power State': getattr(nova, 'OS-EXT-STS:power_state'),
                      'Task State': getattr(nova, 'OS-EXT-STS:task_state'),
                      'Task': None, 'created': nova.created})
    truth.sort(key=lambda row: (row.pop('created'), row['ID']), reverse=True)
    assert rows == truth


def test_server_show_and_a_table(testbed, demo_servers):
    prefix, servers = demo_servers
    cloud, server_id = next(iter(servers.items()))
    nova = cloud.nova_client('admin').servers.get(server_id)
    shown = as_json(testbed, 'server', 'show', nova.name)
    assert (shown['id'], shown['cloud'], shown['status'], shown['created'],
            shown['attempts']) == (server_id, cloud.name, nova.status,
                                   nova.created, [])
    assert shown['addresses'] == nova.addresses
    table = openstack(testbed, 'server', 'list', '--name', '^' + prefix)
    assert 'Running' in table.stdout and server_id in table.stdout
    value = openstack(testbed, 'server', 'list', '--name', '^' + prefix,
                      '-c', 'ID', '-f', 'value').stdout.split()
    assert sorted(value) == sorted(servers.values())


def wait_power(cloud, server_id, power_state):
    nova = cloud.nova_client('admin')
    deadline = time.monotonic() + ACTION_TIMEOUT
    while True:
        server = nova.servers.get(server_id)
        if getattr(server, 'OS-EXT-STS:power_state') == power_state and \
                not getattr(server, 'OS-EXT-STS:task_state'):
            return server
        assert time.monotonic() < deadline, server.status
        time.sleep(0.5)


def test_stop_start_reboot(testbed, demo_servers):
    _prefix, servers = demo_servers
    cloud, server_id = list(servers.items())[-1]
    openstack(testbed, 'server', 'stop', server_id)
    assert wait_power(cloud, server_id, SHUTDOWN).status == 'SHUTOFF'
    openstack(testbed, 'server', 'start', server_id)
    assert wait_power(cloud, server_id, RUNNING).status == 'ACTIVE'
    openstack(testbed, 'server', 'stop', server_id)
    wait_power(cloud, server_id, SHUTDOWN)
    openstack(testbed, 'server', 'reboot', '--hard', server_id)
    assert wait_power(cloud, server_id, RUNNING).status == 'ACTIVE'


def test_a_reader_cannot_stop(testbed, demo_servers):
    _prefix, servers = demo_servers
    server_id = next(iter(servers.values()))
    result = openstack(testbed, 'server', 'stop', server_id, user='reader',
                       check=False)
    assert result.returncode == 1
    assert "servers:stop to be performed. (HTTP 403) (Request-ID: req-" in \
        result.stderr


def test_an_unknown_server_says_so(testbed, api):
    result = openstack(testbed, 'server', 'show', 'no-such-server',
                       check=False)
    assert result.returncode == 1
    assert 'No server with a name or ID of no-such-server exists.' in \
        result.stderr


def test_clouds(testbed, api):
    clouds = as_json(testbed, 'cloud', 'list')
    assert [c['Name'] for c in clouds] == [c.name for c in testbed.clouds]
    assert {c['State'] for c in clouds} == {'up'}
    beta = as_json(testbed, 'cloud', 'show', 'beta')
    limit = testbed.cloud('beta').nova_client('admin').limits.get().to_dict()[
        'absolute']['maxTotalInstances']
    assert beta['usage']['instances']['limit'] == limit


def test_placement_show(testbed, api):
    ranking = as_json(testbed, 'placement', 'show', '--flavor', 'm1.tiny',
                      '--image', 'cirros', 'osc-placed')
    assert sorted(c['cloud'] for c in ranking['ranked']) == sorted(
        c.name for c in testbed.clouds)
    assert ranking['plan'] == [ranking['ranked'][0]['cloud']]


def test_create_wait_show_launch_and_delete(testbed, api):
    name = 'osc-made-%s' % uuid.uuid4().hex[:6]
    launch = as_json(testbed, 'server', 'create', '--flavor', 'm1.tiny',
                     '--image', 'cirros', '--wait', name)
    [made] = launch['servers']
    cloud = testbed.cloud(made['cloud'])
    try:
        assert launch['status'] == 'active', launch
        nova = cloud.nova_client('admin').servers.get(made['id'])
        assert (nova.name, nova.status) == (name, 'ACTIVE')
        assert as_json(testbed, 'launch', 'show', launch['id'])[
            'status'] == 'active'
        assert launch['id'] in [row['ID'] for row in as_json(
            testbed, 'launch', 'list')]
        cancel = openstack(testbed, 'launch', 'cancel', launch['id'],
                           check=False)
        assert cancel.returncode == 1 and '(HTTP 409)' in cancel.stderr
        openstack(testbed, 'server', 'delete', name)
        helpers.delete_servers(cloud, [made['id']])  # waits until gone
    finally:
        helpers.delete_servers(cloud, [made['id']])


def test_fping_says_who_answers(testbed, api, namespace):
    with api_server.demo_servers(testbed, namespace, {
            'osc-fping-up': True, 'osc-fping-down': False}) as ids:
        rows = {row['ID']: row for row in as_json(testbed, 'fping')}
        assert rows[ids['osc-fping-up']]['Alive'] is True
        assert rows[ids['osc-fping-down']]['Alive'] is False
        one = as_json(testbed, 'fping', 'osc-fping-up')
        assert [(r['ID'], r['Alive']) for r in one] == [
            (ids['osc-fping-up'], True)]


def test_create_boots_with_a_public_key_and_user_data(testbed, api,
                                                      tmp_path):
    key_file = tmp_path / 'id.pub'
    key_file.write_text(helpers.public_key() + '\n')
    script = b'#!/bin/sh\necho federated\n'
    (tmp_path / 'user-data').write_bytes(script)
    name = 'osc-spec-%s' % uuid.uuid4().hex[:6]
    launch = as_json(testbed, 'server', 'create', '--flavor', 'm1.tiny',
                     '--image', 'cirros', '--public-key', str(key_file),
                     '--user-data', str(tmp_path / 'user-data'),
                     '--security-group', 'default', '--wait', name)
    [made] = launch['servers']
    cloud = testbed.cloud(made['cloud'])
    try:
        assert launch['status'] == 'active', launch
        nova = cloud.nova_client('admin', version='2.79')
        server = nova.servers.get(made['id'])
        assert nova.keypairs.get(server.key_name).public_key.split()[:2] == \
            key_file.read_text().split()[:2]
        assert base64.b64decode(getattr(
            server, 'OS-EXT-SRV-ATTR:user_data')) == script
    finally:
        helpers.delete_servers(cloud, [made['id']])
