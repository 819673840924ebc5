# SPDX-License-Identifier: Apache-2.0
"""What a launch boots with, and the books of the key pairs it imports.

Over a real sqlite database and in-memory Novas (tests/unit/fake_clouds.py),
as tests/unit/test_launches.py: key pairs imported just before the create,
reused, deleted when the launch ends unless something uses them; user data,
security groups, networks and zones passed to the cloud placement chose.
"""

import datetime
import threading

from oslo_utils import timeutils

from multios import context as multios_context
from multios.db import keypairs as keypairs_db
from multios.db import models
from multios import exception
from multios import keypairs
from multios.launches import states
from multios import userdata
from tests.unit import test_keypairs
from tests.unit import test_launches

request = test_launches.request
attempts = test_launches.attempts


def context():
    """The home user of test_launches, with a launch id of its own."""
    return multios_context.RequestContext('home-project', 'home-user')


class KeyPairTestCase(test_launches.LaunchTestCase):

    def setUp(self):
        super().setUp()
        self.key = test_keypairs.public_key()
        self.name = keypairs.pair_name(keypairs.parse(self.key),
                                       'home-project', 'home-user')

    def launch(self, core, count=1, **kwargs):
        return super().launch(core, count, context=context(), **kwargs)

    def accept(self, core, carry=True, **kwargs):
        """Accept a launch of ``kwargs`` -> (its context, LAUNCH)."""
        caller = context()
        return caller, core.launches.accept(caller, request(**kwargs),
                                            carry=carry)

    def events_of(self, cloud, *kinds):
        return [event[1:] for event in self.events
                if event[0] == cloud and event[1] in kinds]

    def rows(self):
        return self.db.run(lambda s: sorted(
            (row.cloud, row.name, row.deleting_by)
            for row in s.query(models.KeyPair)))


class SpecTest(KeyPairTestCase):

    def test_the_spec_reaches_nova_on_the_chosen_cloud(self):
        plain, rich = self.clouds(('plain', 'active', 9),
                                  ('rich', 'active', 1))
        plain.groups = ['default']
        rich.groups = ['default', 'web']
        rich.zones = ['nova', 'az2']
        rich.network_names = {'ext-net': ['n-ext'], 'private': ['n-priv']}
        rich.network_aliases = {'public': 'ext-net'}
        data = userdata.encode(b'#cloud-config\nruncmd: [id]\n')
        launch = self.launch(
            self.core(plain, rich), public_key=self.key, user_data=data,
            security_groups=('web',), networks=('public', 'private'),
            availability_zone='az2')
        self.assertEqual('active', launch['status'])
        [item] = launch['servers']
        self.assertEqual('rich', item['cloud'])
        server = rich.fake.servers[item['id']]
        self.assertEqual({
            'key_name': self.name,
            'userdata': b'#cloud-config\nruncmd: [id]\n',
            'security_groups': ['web'], 'availability_zone': 'az2',
            'nics': [{'net-id': 'n-ext'}, {'net-id': 'n-priv'}]},
            server.options)
        self.assertEqual(
            (self.name, ['web'], ['public', 'private'], 'az2'),
            (launch['key_name'], launch['security_groups'],
             launch['networks'], launch['availability_zone']))
        # What is the user's alone stays out of the LAUNCH body.
        body = repr(launch)
        self.assertNotIn(data, body)
        self.assertNotIn(self.key.split()[1], body)

    def test_a_plain_launch_takes_nova_s_defaults(self):
        cloud, = self.clouds(('a', 'active', 9))
        launch = self.launch(self.core(cloud))
        [server] = cloud.fake.servers.values()
        self.assertEqual({'key_name': None, 'userdata': None,
                          'security_groups': None, 'availability_zone': None,
                          'nics': 'auto'}, server.options)
        self.assertEqual((None, ['default'], 'auto', None),
                         (launch['key_name'], launch['security_groups'],
                          launch['networks'], launch['availability_zone']))
        self.assertEqual([], self.events_of('a', 'get keypair'))

    def test_the_home_key_pair_is_read_at_accept_and_imported(self):
        home, other = self.clouds(('home', 'active', 1),
                                  ('other', 'active', 9))
        home.keypairs.create('mine', self.key)
        core = self.core(home, other)
        launch = self.launch(core, key_name='mine')
        [item] = launch['servers']
        self.assertEqual('other', item['cloud'])
        # Read for the context's user, as the CLI's operator does.
        self.assertIn(('get keypair', 'mine', 'home-user'),
                      self.events_of('home', 'get keypair'))
        self.assertEqual(self.name,
                         other.fake.servers[item['id']].key_name)
        self.assertEqual('mine', launch['key_name'])
        with self.assertRaises(exception.Invalid) as caught:
            self.accept(core, key_name='theirs')
        self.assertIn("key_name: no key pair 'theirs'", str(caught.exception))


class KeyPairBooksTest(KeyPairTestCase):

    def test_a_key_is_imported_before_the_create_once_then_reused(self):
        cloud, = self.clouds(('a', 'active', 9))
        core = self.core(cloud)
        first = self.launch(core, public_key=self.key)
        second = self.launch(core, public_key=self.key, count=2)
        self.assertEqual(['active', 'active'],
                         [first['status'], second['status']])
        self.assertEqual([self.name], list(cloud.keypairs.keypairs))
        self.assertEqual([('import keypair', self.name)],
                         self.events_of('a', 'import keypair'))
        calls = [event[1] for event in self.events if event[0] == 'a']
        self.assertLess(calls.index('import keypair'), calls.index('create'))
        self.assertEqual({self.name}, {s.key_name for s in
                                       cloud.fake.servers.values()})
        self.assertEqual([('a', self.name, None)], self.rows())
        self.assertEqual([self.name] * 3, self.db.run(lambda s: [
            a.key_name for a in s.query(models.LaunchAttempt)]))

    def test_a_failed_attempt_leaves_no_key_pair_on_its_cloud(self):
        broken, ok = self.clouds(('broken', 'error', 9), ('ok', 'active', 5))
        launch = self.launch(self.core(broken, ok), public_key=self.key)
        [item] = launch['servers']
        self.assertEqual([('broken', 'error'), ('ok', 'active')],
                         attempts(item))
        self.assertEqual({}, broken.keypairs.keypairs)
        self.assertEqual([self.name], list(ok.keypairs.keypairs))
        self.assertEqual([('import keypair', self.name),
                          ('delete keypair', self.name)],
                         self.events_of('broken', 'import keypair',
                                        'delete keypair'))
        self.assertEqual([('ok', self.name, None)], self.rows())

    def test_a_key_pair_a_server_uses_is_kept(self):
        cloud, = self.clouds(('a', 'active', 9))
        core = self.core(cloud)
        self.launch(core, public_key=self.key)
        # The key pair is there, used: a failing launch with it keeps it.
        cloud.fake.behaviour = 'error'
        failed = self.launch(core, public_key=self.key)
        self.assertEqual('failed', failed['status'])
        self.assertEqual([self.name], list(cloud.keypairs.keypairs))

    def test_a_cancelled_launch_deletes_its_key_pairs(self):
        hung, = self.clouds(('hung', 'hang', 9))
        core = self.core(hung)
        caller, launch = self.accept(core, public_key=self.key)
        test_launches._wait(lambda: hung.fake.servers)
        core.launches.cancel(caller, launch['id'])
        core.runner.wait(launch['id'], test_launches.WAIT)
        self.assertEqual({}, hung.fake.servers)
        self.assertEqual({}, hung.keypairs.keypairs)
        self.assertEqual([], self.rows())

    def test_a_key_pair_a_launch_could_not_delete_goes_with_the_cleanup(
            self):
        broken, ok = self.clouds(('broken', 'error', 9), ('ok', 'active', 5))
        core = self.core(broken, ok)
        real_delete = broken.keypairs.delete

        def unreachable(name):
            raise exception.CloudUnavailable(name='broken',
                                             reason='cannot connect')
        broken.keypairs.delete = unreachable
        self.launch(core, public_key=self.key)
        self.assertEqual([self.name], list(broken.keypairs.keypairs))
        self.assertEqual([('broken', self.name, None),
                          ('ok', self.name, None)],
                         self.rows())
        # The next pass of the leak cleanup deletes it; the used one stays.
        broken.keypairs.delete = real_delete
        report = core.cleaner.run()
        self.assertEqual([('broken', self.name)], report.key_pairs)
        self.assertEqual({}, broken.keypairs.keypairs)
        self.assertEqual([self.name], list(ok.keypairs.keypairs))
        self.assertEqual([('ok', self.name, None)], self.rows())
        # And once the user deleted the server, that one too.
        ok.fake.servers.clear()
        self.assertEqual([('ok', self.name)], core.cleaner.run().key_pairs)
        self.assertEqual([], self.rows())

    def test_an_adopter_boots_with_the_key_the_dead_owner_imported(self):
        cloud, = self.clouds(('a', 'active', 9))
        core = self.core(cloud)
        caller, launch = self.accept(core, carry=False, public_key=self.key)
        # The dead owner recorded its use and imported, then died.
        self.db.run(lambda s: keypairs_db.use(
            s, s.query(models.LaunchAttempt).one(), self.name,
            timeutils.utcnow()))
        cloud.keypairs.create(self.name, self.key)
        adopter = self.core(cloud, kind='engine')
        self.assertEqual([launch['id']], adopter.runner.adopt_orphans())
        adopter.runner.wait(launch['id'], test_launches.WAIT)
        self.assertEqual('active',
                         adopter.launches.get(caller, launch['id'])['status'])
        [server] = cloud.fake.servers.values()
        self.assertEqual(self.name, server.key_name)
        self.assertEqual(1, len(self.events_of('a', 'import keypair')))

    def test_a_launch_waits_while_another_process_deletes_the_key_pair(self):
        cloud, = self.clouds(('a', 'active', 9))
        core = self.core(cloud)
        self.launch(core, public_key=self.key)
        cloud.fake.servers.clear()  # the user deleted the server meanwhile
        self.assertTrue(self.db.run(keypairs_db.start_delete, 'a', self.name,
                                    'other-host:1:x', self.stale_before()))
        caller, launch = self.accept(core, public_key=self.key)
        threading.Event().wait(0.2)
        self.assertEqual({}, cloud.fake.servers)
        # The other process deletes it and says so: the launch goes on.
        del cloud.keypairs.keypairs[self.name]
        self.db.run(keypairs_db.end_delete, 'a', self.name, 'other-host:1:x',
                    True)
        core.runner.wait(launch['id'], test_launches.WAIT)
        self.assertEqual('active',
                         core.launches.get(caller, launch['id'])['status'])
        self.assertEqual([self.name], list(cloud.keypairs.keypairs))

    def stale_before(self):
        return timeutils.utcnow() - datetime.timedelta(
            seconds=self.conf.engine.adopt_after)


class KeyPairTransactionsTest(KeyPairTestCase):
    """multios/db/keypairs.py: who may use, who may delete."""

    def test_an_unsettled_instance_s_key_pair_is_not_deleted(self):
        cloud, = self.clouds(('a', 'active', 9))
        core = self.core(cloud)
        caller, _launch = self.accept(core, carry=False)
        now = timeutils.utcnow()
        later = now + datetime.timedelta(seconds=1)

        def attempt(session):
            return session.query(models.LaunchAttempt).one()

        self.assertTrue(self.db.run(
            lambda s: keypairs_db.use(s, attempt(s), 'k', now)))
        self.assertFalse(self.db.run(keypairs_db.start_delete, 'a', 'k',
                                     'me', now))

        def settle(session):
            attempt(session).instance.state = states.FAILED
        self.db.run(settle)
        self.assertTrue(self.db.run(keypairs_db.start_delete, 'a', 'k',
                                    'me', now))
        # Being deleted: no new use, nor a second deleter...
        self.assertFalse(self.db.run(
            lambda s: keypairs_db.use(s, attempt(s), 'k', now)))
        self.assertFalse(self.db.run(keypairs_db.start_delete, 'a', 'k',
                                     'you', now))
        # ...unless the deleter died (its deletion is older than stale).
        self.assertTrue(self.db.run(
            lambda s: keypairs_db.use(s, attempt(s), 'k', later)))
        self.assertEqual([('a', 'k', None)], self.rows())
        # A deleter that lost the row to a new use leaves the row alone.
        self.db.run(keypairs_db.end_delete, 'a', 'k', 'me', True)
        self.assertEqual([('a', 'k', None)], self.rows())
        self.assertEqual([('a', 'k')], self.db.run(
            keypairs_db.used_by, caller.request_id))
