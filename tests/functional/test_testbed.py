# SPDX-License-Identifier: Apache-2.0
"""The testbed's clouds are real, independent OpenStack clouds.

Everything here talks to the real Keystone and Nova services of
``tests/testbed`` through python-novaclient and keystoneauth.
"""

import configparser
import ipaddress
import os
import subprocess
import sys
import tempfile
import time

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import identity
from keystoneauth1 import session as ks_session
from novaclient import exceptions as nova_exceptions
import pytest
import yaml

from tests.testbed import IMAGES
from tests.testbed import subnets_for
from tests.testbed import Testbed

pytestmark = pytest.mark.functional

IMAGE = IMAGES['cirros']
REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _wait_status(nova, server, status, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = nova.servers.get(server.id)
        if server.status == status:
            return server
        assert server.status == 'BUILD', server.status
        time.sleep(0.2)
    raise AssertionError('server %s stayed %s' % (server.id, server.status))


def _wait_gone(nova, server, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            nova.servers.get(server.id)
        except nova_exceptions.NotFound:
            return
        time.sleep(0.2)
    raise AssertionError('server %s was not deleted' % server.id)


def test_each_cloud_authenticates_through_its_own_keystone(testbed):
    projects = set()
    for cloud in testbed.clouds:
        nova = cloud.nova_client('demo')
        assert nova.flavors.find(name='m1.tiny')
        assert nova.servers.list() == []
        projects.add(cloud.project_id('demo'))
    assert len(projects) == len(testbed.clouds)

    alpha, beta = testbed.clouds[:2]
    token = alpha.session('demo').get_token()
    foreign = ks_session.Session().get(
        beta.compute_url + '/servers', headers={'X-Auth-Token': token},
        raise_exc=False)
    assert foreign.status_code == 401


def test_a_server_boots_to_active_with_its_own_addresses(testbed):
    cloud = testbed.clouds[1]
    nova = cloud.nova_client('demo')
    server = nova.servers.create('boot-test', IMAGE,
                                 nova.flavors.find(name='m1.tiny'),
                                 nics='auto')
    try:
        server = _wait_status(nova, server, 'ACTIVE')
        addresses = [ipaddress.ip_address(a['addr'])
                     for net in server.addresses.values() for a in net]
        ipv4_net, ipv6_net = subnets_for(cloud.number)
        assert [a for a in addresses if a in ipv4_net]
        assert [a for a in addresses if a in ipv6_net]
    finally:
        nova.servers.delete(server)
    _wait_gone(nova, server)


def test_over_quota_is_novas_own_403(testbed):
    cloud = testbed.clouds[2]
    admin = cloud.nova_client('admin')
    demo_project = cloud.project_id('demo')
    admin.quotas.update(demo_project, instances=1)
    nova = cloud.nova_client('demo')
    image, flavor = IMAGE, nova.flavors.find(name='m1.tiny')
    first = nova.servers.create('quota-1', image, flavor, nics='auto')
    try:
        # Nova counts instances once the conductor has created them; a create
        # racing a BUILD is caught by the conductor's recheck instead (the
        # server goes to ERROR), as in any real Nova.
        _wait_status(nova, first, 'ACTIVE')
        with pytest.raises(nova_exceptions.Forbidden) as refused:
            nova.servers.create('quota-2', image, flavor, nics='auto')
        assert refused.value.code == 403
        assert 'Quota exceeded for instances' in str(refused.value)
    finally:
        nova.servers.delete(first)
        admin.quotas.delete(demo_project)
    _wait_gone(nova, first)


def test_a_stopped_cloud_refuses_and_the_others_serve(testbed):
    alpha = testbed.clouds[0]
    alpha_nova = alpha.nova_client('demo')
    alpha_nova.flavors.list()  # a token is held before the cloud goes down
    with alpha.broken('stop'):
        with pytest.raises(ks_exceptions.ConnectFailure):
            alpha_nova.flavors.list()
        for cloud in testbed.clouds[1:]:
            assert cloud.nova_client('demo').servers.list() == []
    assert alpha_nova.flavors.find(name='m1.tiny')


def test_a_hung_cloud_times_out_on_the_client_side(testbed):
    gamma = testbed.clouds[2]
    client_timeout = 2
    session = ks_session.Session(
        auth=identity.Password(**gamma.credentials('demo')),
        timeout=client_timeout)
    session.get_token()
    with gamma.broken('hang'):
        started = time.monotonic()
        with pytest.raises((ks_exceptions.ConnectTimeout,
                            ks_exceptions.ConnectFailure)):
            session.get(gamma.compute_url + '/flavors')
        waited = time.monotonic() - started
        assert client_timeout - 0.5 <= waited < client_timeout + 3
        assert testbed.clouds[0].nova_client('demo').flavors.list()
    # Back to normal: the cloud first works off what queued while it hung.
    assert gamma.nova_client('demo').flavors.find(name='m1.tiny')


def test_up_and_down_from_the_command_line():
    directory = tempfile.mkdtemp(prefix='multios-testbed-cli-')
    command = [sys.executable, '-m', 'tests.testbed']
    up = subprocess.Popen(
        command + ['up', '--clouds', '1', '--dir', directory,
                   '--quota', 'instances=3'],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=REPO)
    try:
        lines = []
        for line in up.stdout:
            lines.append(line)
            if line.startswith('READY') or 'failed' in line:
                break
        assert lines[-1].strip() == 'READY 1 clouds', ''.join(lines)

        conf = configparser.ConfigParser()
        conf.read(os.path.join(directory, 'multios.conf'))
        assert conf['DEFAULT']['clouds'] == 'alpha'
        assert conf['cloud:alpha']['auth_url'].endswith('/v3')
        assert os.stat(os.path.join(directory, 'multios.conf')).st_mode \
            & 0o077 == 0
        with open(os.path.join(directory, 'clouds.yaml')) as clouds_yaml:
            clouds = yaml.safe_load(clouds_yaml)['clouds']
        assert clouds['alpha']['auth']['username'] == 'admin'

        cloud = Testbed.attach(directory).clouds[0]
        admin = cloud.nova_client('admin')
        assert admin.quotas.get(cloud.project_id('admin')).instances == 3

        down = subprocess.run(command + ['down', '--dir', directory],
                              cwd=REPO, timeout=90, capture_output=True,
                              text=True)
        assert down.returncode == 0, down.stderr
        assert up.wait(30) == 0
        with pytest.raises(ks_exceptions.ConnectFailure):
            ks_session.Session().get(cloud.auth_url)
    finally:
        if up.poll() is None:
            up.terminate()
            up.wait(30)


def test_the_reader_holds_only_the_reader_role_in_demo(testbed):
    home = testbed.clouds[0]
    reader = identity.Password(**home.credentials('reader'))
    session = ks_session.Session(auth=reader)
    access = reader.get_access(session)
    assert access.role_names == ['reader']
    assert access.project_id == home.project_id('demo')
    assert home.nova_client('reader').servers.list() == []


def test_register_multios_leaves_one_endpoint_in_the_home_catalog(testbed):
    home = testbed.clouds[0]
    for url in ('http://127.0.0.1:1/v1', 'http://127.0.0.1:2/v1'):
        testbed.register_multios(url)
    auth = identity.Password(**home.credentials('demo'))
    catalog = auth.get_access(ks_session.Session(auth=auth)).service_catalog
    assert catalog.get_urls(service_type='multios') == (
        'http://127.0.0.1:2/v1',)
    other = identity.Password(**testbed.clouds[1].credentials('demo'))
    assert not other.get_access(ks_session.Session(
        auth=other)).service_catalog.get_urls(service_type='multios')
