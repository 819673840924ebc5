# SPDX-License-Identifier: Apache-2.0
"""The clouds' state file: locking, atomic writes, breaker and token reuse."""

import datetime
import json
import logging
import multiprocessing
import os
import stat
import tempfile
import time
import unittest
from unittest import mock

from keystoneauth1 import access
from keystoneauth1 import fixture
from keystoneauth1.identity import v3

from multios import cloud_state
from multios import clouds
from tests.unit import test_clouds

HOST = 'testhost'


def _increment(directory, times):
    """In a process of its own: count up ``times`` in the shared file."""
    state = cloud_state.StateFile(directory, HOST)
    for _ in range(times):
        with state.update() as data:
            data['count'] = data.get('count', 0) + 1


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class StateDirTestCase(unittest.TestCase):

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.directory = os.path.join(tmp.name, 'state')
        self.state = cloud_state.StateFile(self.directory, HOST)


class StateFileTest(StateDirTestCase):

    def test_an_update_is_read_back_from_a_private_file(self):
        self.assertEqual({}, self.state.read())
        with self.state.update() as data:
            data['alpha'] = {'auth_id': 'a', 'failures': 1}
        self.assertEqual({'alpha': {'auth_id': 'a', 'failures': 1}},
                         cloud_state.StateFile(self.directory, HOST).read())
        self.assertEqual(os.path.join(self.directory, 'clouds-testhost.json'),
                         self.state.path)
        self.assertEqual(0o700, _mode(self.directory))
        self.assertEqual(0o600, _mode(self.state.path))
        self.assertEqual(0o600, _mode(self.state.path + '.lock'))
        self.assertEqual(['clouds-testhost.json', 'clouds-testhost.json.lock'],
                         sorted(os.listdir(self.directory)))

    def test_each_host_has_its_file(self):
        with self.state.update() as data:
            data['alpha'] = {}
        self.assertEqual({}, cloud_state.StateFile(self.directory,
                                                   'other').read())

    def test_a_failed_block_changes_nothing(self):
        with self.state.update() as data:
            data['alpha'] = {'failures': 1}
        with self.assertRaises(RuntimeError):
            with self.state.update() as data:
                data['alpha'] = {'failures': 2}
                raise RuntimeError('stop')
        self.assertEqual({'alpha': {'failures': 1}}, self.state.read())
        self.assertEqual(2, len(os.listdir(self.directory)))

    def test_a_corrupt_file_is_ignored_then_replaced(self):
        os.makedirs(self.directory)
        with open(self.state.path, 'w') as f:
            f.write('{"clouds": {"alpha": ')
        self.assertEqual({}, self.state.read())
        with self.state.update() as data:
            data['beta'] = {}
        self.assertEqual({'beta': {}}, self.state.read())

    def test_a_file_of_another_shape_is_ignored(self):
        os.makedirs(self.directory)
        for text in ('[]', '{"clouds": 3}', '"x"'):
            with open(self.state.path, 'w') as f:
                f.write(text)
            self.assertEqual({}, self.state.read())

    def test_concurrent_processes_lose_no_update(self):
        context = multiprocessing.get_context('fork')
        workers = [context.Process(target=_increment,
                                   args=(self.directory, 25))
                   for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
            self.assertEqual(0, worker.exitcode)
        self.assertEqual(100, self.state.read()['count'])

    def test_an_unusable_directory_costs_the_memory_only(self):
        blocker = os.path.join(os.path.dirname(self.directory), 'file')
        with open(blocker, 'w') as f:
            f.write('not a directory')
        state = cloud_state.StateFile(os.path.join(blocker, 'state'), HOST)
        with self.assertLogs('multios.cloud_state', 'WARNING'):
            with state.update() as data:
                data['alpha'] = {'failures': 1}
        self.assertEqual({}, state.read())


class CloudEntryTest(StateDirTestCase):

    def test_an_entry_of_another_account_is_nobodys(self):
        old = self.state.cloud('alpha', 'old-account')
        with old.update() as entry:
            entry['failures'] = 3
        new = self.state.cloud('alpha', 'new-account')
        self.assertIsNone(new.load())
        with new.update() as entry:
            self.assertEqual({'auth_id': 'new-account'}, entry)
            entry['failures'] = 1
        self.assertIsNone(old.load())
        self.assertEqual({'auth_id': 'new-account', 'failures': 1},
                         new.load())

    def test_clouds_keep_their_own_entries(self):
        with self.state.cloud('alpha', 'a').update() as entry:
            entry['failures'] = 1
        with self.state.cloud('beta', 'b').update() as entry:
            entry['failures'] = 2
        self.assertEqual(1, self.state.cloud('alpha', 'a').load()['failures'])
        self.assertEqual(2, self.state.cloud('beta', 'b').load()['failures'])


class SharedHealthTest(StateDirTestCase):
    """Health objects on one file stand for processes of one host."""

    def health(self, threshold=2, cooldown=30):
        return clouds.Health(threshold, cooldown,
                             saved=self.state.cloud('alpha', 'acct'))

    def test_an_open_circuit_is_open_for_the_next_process(self):
        first = self.health()
        for _ in range(2):
            first.failure('no answer within 2s')
        self.assertTrue(first.circuit_open)

        second = self.health()
        self.assertEqual('circuit_open', second.state)
        self.assertEqual(2, second.consecutive_failures)
        self.assertEqual('no answer within 2s', second.last_error)
        self.assertFalse(second.acquire())

    def test_failures_add_up_across_processes(self):
        self.health().failure('cannot connect')
        second = self.health()
        self.assertEqual('down', second.state)
        second.failure('cannot connect')
        self.assertTrue(second.circuit_open)
        self.assertTrue(self.health().circuit_open)

    def test_failures_of_processes_running_at_once_add_up(self):
        first, second = self.health(), self.health()
        first.failure('cannot connect')
        second.failure('no answer within 2s')
        self.assertTrue(second.circuit_open)
        self.assertEqual(2, self.health().consecutive_failures)
        self.assertEqual('no answer within 2s', self.health().last_error)

    def test_after_the_cooldown_the_next_process_probes(self):
        first = self.health(cooldown=0.2)
        for _ in range(2):
            first.failure('cannot connect')
        time.sleep(0.3)
        second = self.health(cooldown=0.2)
        self.assertTrue(second.acquire())
        self.assertFalse(second.acquire())  # one probe at a time
        second.success(0.01)
        self.assertEqual('up', self.health().state)
        self.assertEqual({'auth_id': 'acct', 'failures': 0,
                          'last_error': None, 'opened_at': None},
                         self.state.cloud('alpha', 'acct').load())

    def test_a_success_after_another_process_closed_writes_nothing(self):
        health = self.health()
        health.success(0.01)
        self.assertFalse(os.path.exists(self.state.path))

    def test_an_entry_it_cannot_read_is_left_alone(self):
        with self.state.cloud('alpha', 'acct').update() as entry:
            entry.update(failures='many', opened_at='yesterday')
        self.assertEqual('up', self.health().state)


def _token(expires, token_id):
    body = fixture.V3Token(expires=expires, project_id='p-1', user_id='u-1')
    body.set_project_scope()
    return access.create(body=body, auth_token=token_id)


def _in(minutes):
    return (datetime.datetime.now(datetime.timezone.utc) +
            datetime.timedelta(minutes=minutes)).replace(tzinfo=None)


class SavedTokenTest(StateDirTestCase):
    """A Cloud with the state file: its token outlives the process."""

    def setUp(self):
        super().setUp()
        self.logins = []
        patcher = mock.patch.object(v3.Password, 'get_auth_ref',
                                    autospec=True, side_effect=self.login)
        patcher.start()
        self.addCleanup(patcher.stop)

    def login(self, plugin, session):
        token_id = 'token-%d' % (len(self.logins) + 1)
        self.logins.append(token_id)
        return _token(_in(60), token_id)

    def cloud(self, **settings):
        return test_clouds.make_cloud(self.state, **settings)

    def token_of(self, cloud):
        return cloud.call(cloud.session.get_token)

    def saved_state(self):
        entry = next(iter(self.state.read().values()))
        return json.loads(entry['auth_state'])

    def test_the_next_process_reuses_the_token(self):
        with self.assertLogs('multios', 'DEBUG') as logs:
            logging.getLogger('multios').debug('start')
            self.assertEqual('token-1', self.token_of(self.cloud()))
            self.assertEqual('token-1', self.saved_state()['auth_token'])
            self.assertEqual('token-1', self.token_of(self.cloud()))
        self.assertEqual(['token-1'], self.logins)
        self.assertEqual(0o600, _mode(self.state.path))
        self.assertNotIn('token-1', '\n'.join(logs.output))

    def test_an_expired_token_means_a_new_login(self):
        self.token_of(self.cloud())
        with self.state.update() as data:
            entry = data['alpha']
            state = json.loads(entry['auth_state'])
            state['body']['token']['expires_at'] = (
                _in(-1).isoformat() + 'Z')
            entry['auth_state'] = json.dumps(state)
        self.assertEqual('token-2', self.token_of(self.cloud()))
        self.assertEqual('token-2', self.saved_state()['auth_token'])

    def test_an_unusable_saved_token_means_a_new_login(self):
        for garbage in ('not json', '{"auth_token": "t", "body": {}}',
                        '{"auth_token": "t", "body": {"token": {}}}', '[]'):
            with self.cloud()._saved.update() as entry:
                entry['auth_state'] = garbage
            self.logins.clear()
            self.assertEqual('token-1', self.token_of(self.cloud()))
            self.assertEqual(['token-1'], self.logins, garbage)

    def test_another_account_does_not_get_the_token(self):
        self.token_of(self.cloud())
        self.assertEqual('token-2',
                         self.token_of(self.cloud(password='other')))
