# SPDX-License-Identifier: Apache-2.0
"""Launches carried by several real processes on one database.

multios-api and multios-engine run as their own processes on the testbed,
with real Keystone tokens; ground truth comes from each cloud's Nova. The
processes of one test share one database: sqlite, or a fresh database on
the suite's real MariaDB or PostgreSQL server.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from multios import federation as federation_mod
from tests.functional import api_server
from tests.functional import helpers
from tests.testbed import fake_driver

pytestmark = [pytest.mark.functional]

FED = '/v1/os-federation'
QUOTAS = {'instances': [2, 4, 6]}
WAIT = api_server.LAUNCH_TIMEOUT


class Processes:
    """The MultiOS processes of one test, and what they launched."""

    def __init__(self, testbed, directory, database=None):
        self.testbed = testbed
        self.directory = str(directory)
        self.database = database
        self.started = []
        if database:  # as the operator does before starting the services
            done = self.run('multios.cmd.manage', 'db', 'sync')
            assert done.returncode == 0, done.stderr

    def api(self):
        return self._start(api_server.ApiServer)

    def engine(self):
        return self._start(api_server.EngineProcess)

    def _start(self, kind):
        process = kind(self.testbed, self.directory,
                       database=self.database).start()
        self.started.append(process)
        return process

    def client(self, api, user='demo'):
        token = self.testbed.clouds[0].session(user).get_token()
        return api_server.Client(
            api.url, token, secrets=tuple(self.testbed.passwords.values()))

    def cli(self, *args):
        """``multios`` with the processes' configuration -> CompletedProcess.
        """
        return self.run('multios.cmd.cli', *args)

    def run(self, module, *args):
        config = api_server.write_process_config(
            self.testbed, os.path.join(self.directory, 'cli.conf'),
            api_server.shared_state_section(self.directory, self.database))
        env = dict(os.environ, PYTHONPATH=api_server.REPOSITORY)
        return subprocess.run(
            [sys.executable, '-m', module, '--config-file', config] +
            list(args), capture_output=True, text=True, env=env,
            cwd=api_server.REPOSITORY, timeout=WAIT)

    def stop(self):
        for process in self.started:
            process.stop()


def nova_servers(testbed, launch_ids=None):
    """{cloud: [server]} of MultiOS servers, as each Nova lists them."""
    found = {}
    for cloud in testbed.clouds:
        found[cloud.name] = [
            s for s in helpers.all_servers(cloud)
            if s.metadata.get(federation_mod.META_REQUEST_ID) and (
                launch_ids is None or
                s.metadata[federation_mod.META_REQUEST_ID] in launch_ids)]
    return found


def delete_everything(testbed):
    for cloud, servers in nova_servers(testbed).items():
        helpers.delete_servers(testbed.cloud(cloud), [s.id for s in servers])


@pytest.fixture
def quota_testbed(testbed_factory):
    testbed = testbed_factory(quotas=QUOTAS)
    yield testbed
    delete_everything(testbed)


@pytest.fixture
def processes(testbed, tmp_path):
    made = Processes(testbed, tmp_path)
    yield made
    made.stop()
    delete_everything(testbed)


def wait_for(predicate, timeout=WAIT, what='condition'):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, 'timed out waiting for ' + what
        time.sleep(0.5)


def test_post_answers_before_nova_has_the_server_active(processes, testbed):
    member = processes.client(processes.api())
    # A spawn of 5 s, as a real cloud's: the answer cannot race it.
    with helpers.flavor_everywhere(testbed, 'multios.slow', {
            fake_driver.SPAWN_SECONDS: '5'}):
        response = member.post(FED + '/servers', {'server': dict(
            api_server.LAUNCH['server'], flavorRef='multios.slow')})
        _answered_then_active(member, response, testbed)


def _answered_then_active(member, response, testbed):
    # Nova's word at the moment the answer arrived.
    at_answer = nova_servers(testbed, [response.json()['launch']['id']])
    assert response.status_code == 202, response.text
    launch = response.json()['launch']
    assert launch['status'] == 'building'
    assert response.headers['Location'].endswith(
        '/v1/os-federation/launches/' + launch['id'])
    assert [s.status for servers in at_answer.values() for s in servers] in (
        [], ['BUILD'])
    ended = api_server.follow(member, response.headers['Location'])
    assert ended['status'] == 'active'
    [item] = ended['servers']
    [server] = nova_servers(testbed, [launch['id']])[item['cloud']]
    assert (server.id, server.status) == (item['id'], 'ACTIVE')


def test_a_killed_api_process_s_launch_is_adopted_and_finished(
        processes, testbed):
    first = processes.api()
    member = processes.client(first)
    body = {'server': dict(api_server.LAUNCH['server'], count=2)}
    response = member.post(FED + '/servers', body)
    assert response.status_code == 202, response.text
    first.kill()
    launch_id = response.json()['launch']['id']
    second = processes.api()
    survivor = processes.client(second)
    ended = api_server.follow(
        survivor, second.url + FED + '/launches/' + launch_id)
    assert ended['status'] == 'active', ended
    servers = [s for found in nova_servers(testbed, [launch_id]).values()
               for s in found]
    assert sorted(s.id for s in servers) == sorted(
        item['id'] for item in ended['servers'])
    assert [s.status for s in servers] == ['ACTIVE', 'ACTIVE']


def test_an_engine_adopts_what_a_cli_left(processes, testbed):
    done = processes.cli('launch', 'cli-vm', '--flavor', 'm1.tiny',
                         '--image', 'cirros', '--no-wait', '--format', 'json')
    assert done.returncode == 0, done.stderr
    assert 'no multios-engine or multios-api' in done.stderr
    launch = json.loads(done.stdout)
    processes.engine()
    shown = wait_for(lambda: _ended(processes.cli(
        'launches', 'show', launch['id'], '--format', 'json')),
        what='the engine to finish the launch')
    assert shown['status'] == 'active'
    [server] = [s for found in nova_servers(testbed, [launch['id']]).values()
                for s in found]
    assert (server.id, server.status) == (shown['servers'][0]['id'],
                                          'ACTIVE')


def _ended(done):
    assert done.returncode == 0, done.stderr
    launch = json.loads(done.stdout)
    return launch if launch['status'] != 'building' else None


@pytest.mark.parametrize('backend', ['sqlite', 'mysql', 'postgresql'])
def test_two_apis_and_a_cli_never_take_more_than_the_free_quota(
        quota_testbed, tmp_path, request, backend):
    database = None
    if backend != 'sqlite':
        database = request.getfixturevalue(
            'mariadb' if backend == 'mysql' else 'postgresql').database()
    processes = Processes(quota_testbed, tmp_path, database)
    try:
        apis = [processes.api(), processes.api()]
        clients = [processes.client(api, 'admin') for api in apis]
        body = {'server': dict(api_server.LAUNCH['server'], count=2)}
        answers, cli = [], []

        def post(client):
            for _ in range(4):
                answers.append(client.post(FED + '/servers', body))

        threads = [threading.Thread(target=post, args=(c,)) for c in clients]
        threads.append(threading.Thread(target=lambda: cli.append(
            processes.cli('launch', 'cli-vm', '--flavor', 'm1.tiny',
                          '--image', 'cirros', '--count', '2', '--format',
                          'json'))))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT)
        # 18 instances asked for, 12 free: each launch fits whole or is
        # refused at once with every cloud's reason.
        accepted = [a for a in answers if a.status_code == 202]
        for refused in (a for a in answers if a.status_code != 202):
            assert refused.status_code == 409, refused.text
            assert 'quota exceeded' in refused.text
        launches = [
            api_server.follow(
                clients[0],
                a.headers['Location'].replace(apis[1].url, apis[0].url))
            for a in accepted]
        [done] = cli
        if done.returncode == 0:
            launches.append(json.loads(done.stdout))
        else:
            assert 'quota exceeded' in done.stderr, done.stderr
        placed = sum(len(launch['servers']) for launch in launches)
        assert placed == 12
        assert {launch['status'] for launch in launches} == {'active'}
        found = nova_servers(quota_testbed,
                             {launch['id'] for launch in launches})
        assert {name: len(servers) for name, servers in found.items()} == {
            'alpha': 2, 'beta': 4, 'gamma': 6}
        assert {s.status for servers in found.values() for s in servers} == {
            'ACTIVE'}
        assert sum(len(s) for s in nova_servers(quota_testbed).values()) == 12
    finally:
        processes.stop()
        delete_everything(quota_testbed)


@pytest.mark.parametrize('api_processes', [1, 2])
def test_concurrent_launches_into_too_little_quota_report_every_server(
        quota_testbed, tmp_path, api_processes):
    processes = Processes(quota_testbed, tmp_path)
    try:
        apis = [processes.api() for _ in range(api_processes)]
        admins = [processes.client(api, 'admin') for api in apis]
        admin = admins[0]
        body = {'server': dict(api_server.LAUNCH['server'], count=7)}
        answers = []
        threads = [threading.Thread(target=lambda c=c: answers.append(
            c.post(FED + '/servers', body)))
            for c in (admins * 2)[:2]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT)
        accepted = [a for a in answers if a.status_code == 202]
        assert len(accepted) == 1, [a.text for a in answers]
        [refused] = [a for a in answers if a.status_code != 202]
        assert refused.status_code == 409
        location = accepted[0].headers['Location']
        ended = api_server.follow(admin, location.replace(
            apis[-1].url, apis[0].url))
        started = {s['id'] for s in ended['servers'] if s['status'] ==
                   'ACTIVE'}
        found = nova_servers(quota_testbed, [ended['id']])
        assert started == {s.id for servers in found.values()
                           for s in servers}
        assert len(started) == 7
    finally:
        processes.stop()
        delete_everything(quota_testbed)


def test_cancel_through_the_api_leaves_nothing(processes, testbed):
    member = processes.client(processes.api())
    body = {'server': dict(api_server.LAUNCH['server'], count=3)}
    response = member.post(FED + '/servers', body)
    assert response.status_code == 202, response.text
    path = response.headers['Location'][len(member.url):]
    cancel = member.delete(path)
    assert cancel.status_code == 202, cancel.text
    ended = api_server.follow(member, response.headers['Location'])
    assert ended['status'] == 'cancelled'
    assert nova_servers(testbed, [ended['id']]) == {
        c.name: [] for c in testbed.clouds}
    again = member.delete(path)
    api_server.fault(again, 'conflictingRequest', 409)


def test_the_engine_deletes_a_leak_and_never_a_users_server(processes,
                                                            testbed):
    # No API runs: nothing but the CLI and, later, the engine carries the
    # launches of this test.
    done = processes.cli('launch', 'good', '--flavor', 'm1.tiny', '--image',
                         'cirros', '--format', 'json')
    assert done.returncode == 0, done.stderr
    [good] = json.loads(done.stdout)['servers']
    cloud = testbed.cloud(good['cloud'])
    nova = cloud.nova_client('admin')
    # The user's server breaks after its launch succeeded.
    nova.servers.reset_state(good['id'], 'error')
    # A launch on the same cloud, cancelled at once: it ends with nothing.
    recorded = processes.cli('launch', 'leaky', '--flavor', 'm1.tiny',
                             '--image', 'cirros', '--cloud', cloud.name,
                             '--no-wait', '--format', 'json')
    assert recorded.returncode == 0, recorded.stderr
    launch_id = json.loads(recorded.stdout)['id']
    assert processes.cli('launches', 'cancel', launch_id).returncode == 0
    # The engine adopts it and carries the cancellation out.
    engine = processes.engine()
    cancelled = wait_for(lambda: _ended(processes.cli(
        'launches', 'show', launch_id, '--format', 'json')),
        what='the cancellation')
    assert cancelled['status'] == 'cancelled'

    # Then its create shows up after all, as a late one from a hung Nova
    # would: a leak, by the launch's own records.
    [leak] = helpers.create_servers(cloud, 'leaky', metadata=helpers
                                    .owner_metadata('p', 'u', launch_id))
    wait_for(lambda: leak not in {s.id for s in helpers.all_servers(cloud)},
             what='the engine to delete the leak')
    with open(engine.log_file) as log:
        text = log.read()
    assert 'Possible leak %s' % leak in text
    assert 'Deleted leaked server %s' % leak in text
    # Three more passes (one every cleanup_interval, 2 s): the user's
    # ERROR server stays.
    time.sleep(3 * 2)
    assert nova.servers.get(good['id']).status == 'ERROR'
    with open(engine.log_file) as log:
        assert good['id'] not in log.read()


def test_a_database_outage_is_503_and_loses_nothing(testbed, tmp_path,
                                                    mariadb):
    processes = Processes(testbed, tmp_path, mariadb.database())
    try:
        api = processes.api()
        member = processes.client(api)
        body = {'server': dict(api_server.LAUNCH['server'], count=2)}
        response = member.post(FED + '/servers', body)
        assert response.status_code == 202, response.text
        mariadb.stop()
        try:
            down = member.get(FED + '/launches')
            message = api_server.fault(down, 'serviceUnavailable', 503)
            assert message.startswith('The MultiOS database is '
                                      'unavailable: ')
            refused = member.post(FED + '/servers', body)
            api_server.fault(refused, 'serviceUnavailable', 503)
            time.sleep(3)
        finally:
            mariadb.start()
        ended = api_server.follow(member, response.headers['Location'])
        assert ended['status'] == 'active', ended
        servers = [s for found in nova_servers(testbed, [ended['id']])
                   .values() for s in found]
        assert sorted(s.id for s in servers) == sorted(
            item['id'] for item in ended['servers'])
        assert {s.status for s in servers} == {'ACTIVE'}
    finally:
        processes.stop()


def test_ctrl_c_stops_the_cli_and_an_engine_finishes_the_launch(processes,
                                                                testbed):
    config = api_server.write_process_config(
        testbed, os.path.join(processes.directory, 'interrupted.conf'),
        api_server.shared_state_section(processes.directory))
    env = dict(os.environ, PYTHONPATH=api_server.REPOSITORY)
    cli = subprocess.Popen(
        [sys.executable, '-m', 'multios.cmd.cli', '--config-file', config,
         'launch', 'ctrl-c', '--flavor', 'm1.tiny', '--image', 'cirros',
         '--count', '2'], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env, cwd=api_server.REPOSITORY)
    accepted = cli.stderr.readline()
    assert accepted.startswith('launch req-'), accepted
    launch_id = accepted.split()[1]
    cli.send_signal(signal.SIGINT)
    _out, err = cli.communicate(timeout=60)
    assert cli.returncode == 1
    assert ('interrupted: launch %s goes on' % launch_id) in err
    assert 'multios launches show %s' % launch_id in err
    assert 'Traceback' not in err
    processes.engine()
    shown = wait_for(lambda: _ended(processes.cli(
        'launches', 'show', launch_id, '--format', 'json')),
        what='the engine to finish the interrupted launch')
    assert shown['status'] == 'active'
    servers = [s for found in nova_servers(testbed, [launch_id]).values()
               for s in found]
    assert sorted(s.id for s in servers) == sorted(
        item['id'] for item in shown['servers'])
    assert {s.status for s in servers} == {'ACTIVE'}
