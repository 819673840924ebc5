# SPDX-License-Identifier: Apache-2.0
"""What a launch boots with, on real testbed clouds, checked with novaclient.

Key pairs, user data, security groups, networks and zones follow a launch
to whichever cloud placement picks. The core runs in this process, as in
tests/functional/test_launches.py; the last tests go through a real
multios-api process with real Keystone tokens. Every test deletes the
servers, key pairs and security groups it made: the testbed is shared.
"""

import base64
import configparser
import json
import os
import subprocess
import sys
import uuid

from novaclient import exceptions as nova_exc
import pytest

from multios import context as multios_context
from multios import exception
from multios import federation as federation_mod
from multios import keypairs
from multios import placement as placement_mod
from tests.functional import api_server
from tests.functional import helpers
from tests.functional import test_launches
from tests.functional.test_launches import trap_flavor  # noqa: F401

pytestmark = pytest.mark.functional

FED = '/v1/os-federation'
OWNER = ('home-p', 'home-u')


def multios_keypairs(cloud):
    """{name: public key} of MultiOS's key pairs on ``cloud``, per Nova."""
    return {k.name: k.public_key
            for k in cloud.nova_client('admin').keypairs.list()
            if k.name.startswith(keypairs.NAME_PREFIX)}


def blob(text):
    return text.split()[1]


class SpecEnv(test_launches.Env):
    """test_launches' Env, each launch with a context of its own."""

    def __init__(self, testbed, directory, **placement):
        super().__init__(testbed, directory, **placement)
        self.launch_ids = []
        self.key_names = set()

    def launch(self, core, name='ls', flavor='m1.tiny', **spec):
        context = multios_context.RequestContext(*OWNER)
        self.launch_ids.append(context.request_id)
        if spec.get('public_key'):
            self.key_names.add(keypairs.pair_name(
                keypairs.parse(spec['public_key']), *OWNER))
        launch = core.launches.accept(context, placement_mod.LaunchRequest(
            name, flavor, 'cirros', **spec))
        core.runner.wait(launch['id'], test_launches.LAUNCH_WAIT)
        return core.launches.get(context, launch['id'])

    def servers(self, cloud):
        return [s for s in helpers.all_servers(cloud)
                if s.metadata.get(federation_mod.META_REQUEST_ID) in
                self.launch_ids]

    def close(self):
        super().close()
        for cloud in self.testbed.clouds:
            nova = cloud.nova_client('admin')
            for name in self.key_names:
                try:
                    nova.keypairs.delete(name)
                except nova_exc.NotFound:
                    pass


@pytest.fixture
def env(testbed, tmp_path):
    env = SpecEnv(testbed, tmp_path, strategy='round_robin')
    yield env
    env.close()


def nova_server(testbed, item):
    """The launched server as its cloud's Nova shows it to an admin."""
    return testbed.cloud(item['cloud']).nova_client('admin').servers.get(
        item['id'])


def test_an_inline_key_is_imported_where_it_lands_then_reused(env, testbed):
    key = helpers.public_key()
    name = keypairs.pair_name(keypairs.parse(key), *OWNER)
    beta = testbed.cloud('beta')
    assert name not in multios_keypairs(beta)
    core = env.core()
    first = env.launch(core, public_key=key, cloud='beta')
    second = env.launch(core, public_key=key, cloud='beta')
    assert [first['status'], second['status']] == ['active', 'active']
    assert first['key_name'] == name
    # One key pair of that public key on beta, and both servers boot
    # with it.
    on_beta = multios_keypairs(beta)
    assert [blob(k) for k in on_beta.values()].count(blob(key)) == 1
    assert blob(on_beta[name]) == blob(key)
    for launch in (first, second):
        [item] = launch['servers']
        assert nova_server(testbed, item).key_name == name
        # MultiOS's own view of the server shows it too.
        assert core.federation.get_server(
            multios_context.get_admin_context(), item['id']).key_name == name
    # Nowhere else.
    for cloud in (testbed.cloud('alpha'), testbed.cloud('gamma')):
        assert name not in multios_keypairs(cloud)


def test_a_security_group_of_one_cloud_takes_the_launch_there(env, testbed):
    group = 'web-%s' % uuid.uuid4().hex[:8]
    gamma = testbed.cloud('gamma')
    group_id = helpers.create_security_group(gamma, group)
    try:
        core = env.core()
        request = placement_mod.LaunchRequest('ls', 'm1.tiny', 'cirros',
                                              security_groups=(group,))
        ranking = core.placement.rank(request)
        assert [c.cloud for c in ranking.ranked] == ['gamma']
        assert [(r.cloud, r.reason) for r in ranking.rejected] == [
            ('alpha', 'no security group %s' % group),
            ('beta', 'no security group %s' % group)]
        launch = env.launch(core, security_groups=(group,))
        assert launch['status'] == 'active', launch
        [item] = launch['servers']
        assert item['cloud'] == 'gamma'
        assert launch['security_groups'] == [group]
        assert [g['name'] for g in nova_server(testbed, item)
                .security_groups] == [group]
    finally:
        env.close()
        helpers.delete_security_group(gamma, group_id)


def test_user_data_and_the_zone_reach_the_chosen_cloud(env, testbed):
    user_data = base64.b64encode(b'#cloud-config\nruncmd:\n - [touch, '
                                 b'/tmp/multios]\n').decode()
    launch = env.launch(env.core(), user_data=user_data,
                        availability_zone='nova')
    assert launch['status'] == 'active', launch
    [item] = launch['servers']
    server = nova_server(testbed, item)
    assert getattr(server, 'OS-EXT-SRV-ATTR:user_data') == user_data
    assert getattr(server, 'OS-EXT-AZ:availability_zone') == 'nova'
    # The LAUNCH shows the zone, never the user data.
    assert launch['availability_zone'] == 'nova'
    assert user_data not in repr(launch)


def test_a_network_by_the_name_one_cloud_gives_it(testbed, tmp_path):
    """alpha calls the testbed's network "lan" (an alias of "private")."""
    env = SpecEnv(testbed, tmp_path, strategy='round_robin')
    try:
        parser = configparser.ConfigParser(interpolation=None)
        path = env.conf.config_file[0]
        parser.read(path)
        parser['cloud:alpha']['network_aliases'] = 'lan:private'
        with open(path, 'w') as config:
            parser.write(config)
        core = env.core()
        ranking = core.placement.rank(placement_mod.LaunchRequest(
            'ls', 'm1.tiny', 'cirros', networks=('lan',)))
        assert [(r.cloud, r.reason) for r in ranking.rejected] == [
            ('beta', 'no network lan'), ('gamma', 'no network lan')]
        launch = env.launch(core, networks=('lan',))
        assert launch['status'] == 'active', launch
        [item] = launch['servers']
        assert item['cloud'] == 'alpha'
        assert list(nova_server(testbed, item).addresses) == ['private']
    finally:
        env.close()


def test_a_fail_over_leaves_no_key_pair_on_the_refusing_cloud(
        env, testbed, trap_flavor):  # noqa: F811
    key = helpers.public_key()
    name = keypairs.pair_name(keypairs.parse(key), *OWNER)
    launch = env.launch(env.core(), flavor=trap_flavor, public_key=key)
    [item] = launch['servers']
    assert test_launches._attempts(item) == [('alpha', 'error'),
                                             ('beta', 'active')]
    # alpha refused after the key pair was imported there for the create:
    # the launch deleted it when it ended; beta's server uses its own.
    assert name not in multios_keypairs(testbed.cloud('alpha'))
    assert blob(multios_keypairs(testbed.cloud('beta'))[name]) == blob(key)
    assert nova_server(testbed, item).key_name == name


def test_a_name_no_cloud_has_is_invalid(env):
    core = env.core()
    with pytest.raises(exception.Invalid) as caught:
        core.placement.rank(placement_mod.LaunchRequest(
            'ls', 'm1.tiny', 'cirros', availability_zone='nowhere'))
    assert str(caught.value) == ("Invalid input: availability_zone: no "
                                 "availability zone 'nowhere' on any cloud")


def test_the_cli_boots_with_the_operator_s_home_key_pair_and_a_file(
        testbed, tmp_path):
    """``multios launch --key-name --user-data``, as the operator runs it."""
    key = helpers.public_key()
    alpha = testbed.cloud('alpha')
    home_name = 'op-%s' % uuid.uuid4().hex[:8]
    alpha.nova_client('admin').keypairs.create(home_name, public_key=key)
    name = keypairs.pair_name(keypairs.parse(key), alpha.project_id('admin'),
                              alpha.user_id('admin'))
    script = tmp_path / 'init.sh'
    script.write_bytes(b'#!/bin/sh\necho \xe2\x9c\x93\n')
    config = api_server.write_process_config(
        testbed, str(tmp_path / 'cli.conf'),
        api_server.shared_state_section(str(tmp_path)))
    launched = []
    try:
        done = subprocess.run(
            [sys.executable, '-m', 'multios.cmd.cli', '--config-file',
             config, 'launch', 'cli-spec', '--flavor', 'm1.tiny', '--image',
             'cirros', '--cloud', 'gamma', '--key-name', home_name,
             '--user-data', str(script), '--format', 'json'],
            capture_output=True, text=True, cwd=api_server.REPOSITORY,
            env=dict(os.environ, PYTHONPATH=api_server.REPOSITORY),
            timeout=test_launches.LAUNCH_WAIT)
        assert done.returncode == 0, done.stderr
        launch = json.loads(done.stdout)
        [item] = launch['servers']
        launched.append(item)
        assert (launch['key_name'], item['cloud']) == (home_name, 'gamma')
        server = nova_server(testbed, item)
        assert server.key_name == name
        assert getattr(server, 'OS-EXT-SRV-ATTR:user_data') == \
            base64.b64encode(script.read_bytes()).decode()
    finally:
        for item in launched:
            helpers.delete_servers(testbed.cloud('gamma'), [item['id']])
        alpha.nova_client('admin').keypairs.delete(home_name)
        try:
            testbed.cloud('gamma').nova_client('admin').keypairs.delete(name)
        except nova_exc.NotFound:
            pass


# Through a real multios-api ------------------------------------------------


@pytest.fixture(scope='module')
def api(testbed, tmp_path_factory):
    directory = str(tmp_path_factory.mktemp('multios-api-specs'))
    server = api_server.ApiServer(testbed, directory).start()
    yield server
    server.stop()


@pytest.fixture(scope='module')
def member(testbed, api):
    token = testbed.clouds[0].session('demo').get_token()
    return api_server.Client(api.url, token,
                             secrets=tuple(testbed.passwords.values()))


def body(**server):
    return {'server': dict(api_server.LAUNCH['server'], **server)}


@pytest.mark.parametrize('server, message', [
    ({'public_key': 'ssh-rsa AAAAnot-a-key me'},
     "Invalid input for field/attribute server.public_key. Value: 'ssh-rsa "
     "AAAAnot-a-key me'. It must be one OpenSSH public key (\"ssh-ed25519 "
     "AAAA... comment\")."),
    ({'user_data': 'QUFB' * 16384},
     "Invalid input for field/attribute server.user_data. Value: '%s'\u2026 "
     "(65536 characters). It is longer than 65535 characters."
     % ('QUFB' * 15)),
    ({'networks': [{'name': 'nowhere'}]},
     "Invalid input: networks: no network 'nowhere' on any cloud"),
])
def test_bad_input_is_400_naming_the_field(member, server, message):
    before = member.get(FED + '/launches').json()['launches']
    for path in ('/servers', '/placement'):
        response = member.post(FED + path, body(**server))
        assert api_server.fault(response, 'badRequest', 400) == message
    assert member.get(FED + '/launches').json()['launches'] == before


def test_the_member_s_home_key_pair_goes_with_the_launch(member, testbed):
    """Read from the home cloud (alpha) with the member's own token."""
    key = helpers.public_key()
    alpha = testbed.cloud('alpha')
    demo_nova = alpha.nova_client('demo')
    home_name = 'mine-%s' % uuid.uuid4().hex[:8]
    demo_nova.keypairs.create(home_name, public_key=key)
    project_id, user_id = alpha.project_id('demo'), alpha.user_id('demo')
    name = keypairs.pair_name(keypairs.parse(key), project_id, user_id)
    item = None
    try:
        response = member.post(FED + '/servers', body(key_name=home_name))
        assert response.status_code == 202, response.text
        assert response.json()['launch']['key_name'] == home_name
        ended = api_server.follow(member, response.headers['Location'])
        assert ended['status'] == 'active', ended
        [item] = ended['servers']
        cloud = testbed.cloud(item['cloud'])
        assert nova_server(testbed, item).key_name == name
        assert blob(multios_keypairs(cloud)[name]) == blob(key)
        # Another user's key pair of that name is not the member's.
        refused = member.post(FED + '/servers', body(key_name='theirs-x'))
        assert api_server.fault(refused, 'badRequest', 400) == (
            "Invalid input: key_name: no key pair 'theirs-x' in the home "
            "cloud alpha")
    finally:
        if item is not None:
            helpers.delete_servers(testbed.cloud(item['cloud']), [item['id']])
        demo_nova.keypairs.delete(home_name)
        for cloud in testbed.clouds:
            try:
                cloud.nova_client('admin').keypairs.delete(name)
            except nova_exc.NotFound:
                pass
