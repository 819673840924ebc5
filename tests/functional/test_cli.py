# SPDX-License-Identifier: Apache-2.0
"""The ``multios`` command against real testbed clouds."""

import configparser
import json
import os
import stat
import subprocess
import sys
import time
import uuid

from keystoneauth1 import identity
from keystoneauth1 import session as ks_session
import pytest

from multios import cloud_state
from tests.functional import helpers

pytestmark = pytest.mark.functional

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
OWNER = ('p-cli-owner', 'u-cli-owner')


def multios(config, *args):
    """Run the CLI as a user would -> (exit status, stdout, stderr)."""
    env = dict(os.environ, PYTHONPATH=REPOSITORY)
    done = subprocess.run(
        [sys.executable, '-m', 'multios.cmd.cli', '--config-file', config] +
        list(args), capture_output=True, text=True, cwd=REPOSITORY, env=env,
        timeout=120)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope='module')
def config(testbed, tmp_path_factory):
    # Generous: these tests are about output, not timeouts, and a cloud
    # that was just hung by another test may take a while to catch up.
    return helpers.write_config(testbed, tmp_path_factory.mktemp('cli'),
                                api_timeout=30)


@pytest.fixture(scope='module')
def server(testbed):
    """One server on gamma owned by OWNER -> its ID."""
    gamma = testbed.cloud('gamma')
    ids = []
    try:
        ids = helpers.create_servers(gamma, 'cli-vm',
                                     metadata=helpers.owner_metadata(*OWNER))
        helpers.wait_active(gamma, ids)
        yield ids[0]
    finally:
        helpers.delete_servers(gamma, ids)


def test_clouds_json(config):
    code, out, err = multios(config, 'clouds', '--format', 'json')
    assert code == 0, err
    clouds = {c['name']: c for c in json.loads(out)}
    assert sorted(clouds) == ['alpha', 'beta', 'gamma']
    for status in clouds.values():
        assert status['state'] == 'up'
        assert status['usage']['instances']['limit'] == 10


def test_list_json_as_operator_and_as_member(config, server):
    code, out, err = multios(config, 'list', '--all-tenants',
                             '--format', 'json')
    assert code == 0, err
    listed = {s['id']: s for s in json.loads(out)['items']}
    assert listed[server]['cloud'] == 'gamma'
    assert listed[server]['project_id'] == OWNER[0]

    code, out, err = multios(config, 'list', '--format', 'json',
                             '--project-id', OWNER[0], '--user-id', OWNER[1])
    assert code == 0, err
    assert [s['id'] for s in json.loads(out)['items']] == [server]

    code, out, err = multios(config, 'list', '--format', 'json',
                             '--project-id', 'p-nobody', '--user-id', 'u')
    assert code == 0, err
    assert json.loads(out) == {'items': [], 'errors': []}


def test_show_table(config, server):
    code, out, err = multios(config, 'show', server)
    assert code == 0, err
    assert 'cloud' in out and 'gamma' in out


def test_missing_server_fails_in_one_line(config):
    code, out, err = multios(config, 'show',
                             '00000000-0000-0000-0000-000000000000')
    assert code == 1
    assert out == ''
    assert err == ('multios: error: Server '
                   '00000000-0000-0000-0000-000000000000 could not be '
                   'found.\n')


def test_member_all_tenants_is_refused(config):
    code, _out, err = multios(config, 'list', '--all-tenants',
                              '--project-id', 'p', '--user-id', 'u')
    assert code == 1
    assert err.startswith('multios: error: Forbidden')
    assert len(err.splitlines()) == 1


def test_list_with_a_stopped_cloud_names_it(testbed, config):
    beta = testbed.cloud('beta')
    with beta.broken('stop'):
        code, out, err = multios(config, 'list', '--format', 'json')
    assert code == 3  # a partial result
    assert json.loads(out)['errors'] == [{'cloud': 'beta',
                                          'reason': 'cannot connect'}]
    assert 'warning: cloud beta: cannot connect' in err


def test_draining_cloud_is_listed_but_gets_no_launch(config, server,
                                                     tmp_path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(config)
    parser['cloud:gamma']['draining'] = 'True'
    drained = str(tmp_path / 'multios.conf')
    with open(drained, 'w') as f:
        parser.write(f)

    code, out, err = multios(drained, 'clouds', '--format', 'json')
    assert code == 0, err
    assert {c['name']: c['draining'] for c in json.loads(out)} == {
        'alpha': False, 'beta': False, 'gamma': True}

    code, out, err = multios(drained, 'list', '--all-tenants',
                             '--format', 'json')
    assert code == 0, err
    assert server in [s['id'] for s in json.loads(out)['items']]

    code, out, err = multios(drained, 'launch', 'drained-vm',
                             '--flavor', 'm1.tiny', '--image', 'cirros',
                             '--dry-run', '--format', 'json')
    assert code == 0, err
    ranking = json.loads(out)
    assert sorted(c['cloud'] for c in ranking['ranked']) == ['alpha', 'beta']
    assert {'cloud': 'gamma', 'reason': 'draining: takes no new launches'} \
        in ranking['rejected']


@pytest.mark.parametrize('server_id', ['detail', '../../x', 'сервер'])
def test_an_id_that_is_no_uuid_is_not_found_at_once(config, server_id):
    started = time.monotonic()
    code, out, err = multios(config, 'show', server_id)
    assert (code, out) == (1, '')
    assert err == 'multios: error: Server %s could not be found.\n' % (
        server_id)
    code, _out, err = multios(config, 'delete', server_id)
    assert code == 1 and 'could not be found' in err
    # Two CLI runs, no cloud asked (a cloud would answer in ~1 s each).
    assert time.monotonic() - started < 20


def test_delete_says_what_it_did_and_a_second_delete_fails(testbed, config):
    gamma = testbed.cloud('gamma')
    ids = helpers.create_servers(gamma, 'cli-delete')
    try:
        helpers.wait_active(gamma, ids)
        code, out, err = multios(config, 'delete', ids[0])
        assert (code, err) == (0, '')
        header, row = out.splitlines()
        assert header.split() == ['ID', 'Name', 'Cloud', 'Result']
        assert row.split() == [ids[0], 'cli-delete', 'gamma', 'deletion',
                               'accepted']
        helpers.delete_servers(gamma, ids)  # waits until it is gone
        code, out, err = multios(config, 'delete', ids[0])
        assert (code, out) == (1, '')
        assert err == ('multios: error: %s: Server %s could not be '
                       'found.\n' % (ids[0], ids[0]))
    finally:
        helpers.delete_servers(gamma, ids)


@pytest.mark.parametrize('name', ['vm ', ' vm', 'vm\n', '\u200bvm'])
@pytest.mark.parametrize('dry_run', [[], ['--dry-run']])
def test_names_nova_refuses_are_refused_in_one_line(config, name, dry_run):
    code, out, err = multios(config, 'launch', name, '--flavor', 'm1.tiny',
                             '--image', 'cirros', *dry_run)
    assert (code, out) == (1, '')
    assert err == ('multios: error: Invalid input: server name %r must be 1 '
                   'to 255 printable characters, not starting or ending with '
                   'whitespace\n' % name)


def test_operator_servers_are_those_of_the_home_cloud_account_ids(
        testbed, config, server):
    """The CLI's operator is no "admin" string but the account's ids."""
    alpha, gamma = testbed.cloud('alpha'), testbed.cloud('gamma')
    owner = (alpha.project_id('admin'), alpha.user_id('admin'))
    ids = helpers.create_servers(gamma, 'cli-operator',
                                 metadata=helpers.owner_metadata(*owner))
    try:
        helpers.wait_active(gamma, ids)
        code, out, err = multios(config, 'list', '--format', 'json')
        assert code == 0, err
        mine = {s['id']: s for s in json.loads(out)['items']}
        assert ids[0] in mine and server not in mine
        assert (mine[ids[0]]['project_id'], mine[ids[0]]['user_id']) == owner
    finally:
        helpers.delete_servers(gamma, ids)


@pytest.fixture(scope='module')
def tricky_account(testbed):
    """A user of every cloud with the tricky password -> its name."""
    name = 'tricky-%s' % uuid.uuid4().hex[:8]
    made = {}
    try:
        for cloud in testbed.clouds:
            made[cloud] = helpers.add_user(cloud, name,
                                           helpers.TRICKY_PASSWORD)
        yield name
    finally:
        for cloud, user_id in made.items():
            helpers.delete_user(cloud, user_id)


def test_a_password_with_dollars_quotes_and_spaces_authenticates(
        testbed, tricky_account, tmp_path):
    config = helpers.write_config(testbed, tmp_path, username=tricky_account,
                                  password=helpers.TRICKY_PASSWORD,
                                  project_name='admin', api_timeout=30)
    code, out, err = multios(config, 'clouds', '--format', 'json')
    assert code == 0, err
    assert {c['name']: c['state'] for c in json.loads(out)} == {
        c.name: 'up' for c in testbed.clouds}


#: A hung cloud's requests give up after HUNG_TIMEOUT seconds; a circuit
#: opened by one failure refuses calls for COOLDOWN seconds.
HUNG_TIMEOUT = 8
COOLDOWN = 25


def timed(config, *args):
    started = time.monotonic()
    code, out, err = multios(config, *args)
    return code, out, err, time.monotonic() - started


def cloud_states(out):
    return {c['name']: (c['state'], c['reason']) for c in json.loads(out)}


def test_a_hung_cloud_costs_one_run_its_timeout_until_the_cooldown_ends(
        testbed, tmp_path):
    config = helpers.write_config(testbed, tmp_path, api_timeout=HUNG_TIMEOUT)
    with open(config, 'a') as f:
        f.write('\n[health]\nfailure_threshold = 1\ncooldown = %d\n'
                % COOLDOWN)
    with testbed.cloud('beta').broken('hang'):
        code, out, err, first = timed(config, 'clouds', '--format', 'json')
        failed_at = time.monotonic()
        assert code == 3, err
        assert cloud_states(out)['beta'] == (
            'circuit_open', 'no answer within %gs' % HUNG_TIMEOUT)
        assert first >= HUNG_TIMEOUT

        # A new process, within the cooldown: beta is not asked at all.
        code, out, err, second = timed(config, 'clouds', '--format', 'json')
        assert time.monotonic() - failed_at < COOLDOWN
        assert code == 3, err
        states = cloud_states(out)
        assert states['beta'] == (
            'circuit_open', 'circuit open after 1 failures (last: no answer '
                            'within %gs)' % HUNG_TIMEOUT)
        assert states['alpha'] == states['gamma'] == ('up', None)
        assert second < first - HUNG_TIMEOUT / 2, (first, second)

    # The cloud answers again; once the cooldown is over, the next run's
    # probe finds it and closes the circuit.
    time.sleep(max(0.0, failed_at + COOLDOWN + 1 - time.monotonic()))
    code, out, err = multios(config, 'clouds', '--format', 'json')
    assert code == 0, err
    assert cloud_states(out)['beta'] == ('up', None)


def saved_tokens(state_path):
    state = cloud_state.StateFile(str(state_path))
    assert stat.S_IMODE(os.stat(state.path).st_mode) == 0o600
    return {name: json.loads(entry['auth_state'])
            for name, entry in state.read().items()}


def test_runs_reuse_saved_tokens_and_log_in_when_one_is_unusable(testbed,
                                                                 tmp_path):
    config = helpers.write_config(testbed, tmp_path, api_timeout=30)
    code, _out, err = multios(config, 'clouds', '--format', 'json')
    assert code == 0, err
    tokens = saved_tokens(tmp_path)
    assert sorted(tokens) == ['alpha', 'beta', 'gamma']
    code, _out, err = multios(config, 'clouds', '--format', 'json')
    assert code == 0, err
    assert saved_tokens(tmp_path) == tokens  # no run logged in again

    # alpha: a token Keystone has revoked (Nova never saw it, so it asks
    # Keystone); beta: one that has expired; gamma: garbage.
    alpha = testbed.cloud('alpha')
    login = identity.Password(**alpha.credentials('admin'))
    revoked = ks_session.Session(auth=login).get_token()
    answer = alpha.session('admin').delete(
        alpha.auth_url + '/auth/tokens', headers={'X-Subject-Token': revoked})
    assert answer.status_code == 204
    with cloud_state.StateFile(str(tmp_path)).update() as clouds:
        clouds['alpha']['auth_state'] = login.get_auth_state()
        expired = tokens['beta']
        expired['body']['token']['expires_at'] = '2000-01-01T00:00:00Z'
        clouds['beta']['auth_state'] = json.dumps(expired)
        clouds['gamma']['auth_state'] = '{"auth_token": "garbage"'

    code, out, err = multios(config, '--debug', 'clouds', '--format', 'json')
    assert code == 0, err
    assert set(cloud_states(out).values()) == {('up', None)}
    renewed = saved_tokens(tmp_path)
    assert renewed['alpha']['auth_token'] != revoked
    assert renewed['beta']['auth_token'] != tokens['beta']['auth_token']
    assert renewed['gamma']['auth_token'] != tokens['gamma']['auth_token']
    for token in [revoked] + [t['auth_token'] for t in renewed.values()]:
        assert token not in err
