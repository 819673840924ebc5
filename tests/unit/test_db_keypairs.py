# SPDX-License-Identifier: Apache-2.0
"""multios/db/keypairs.py: which key pair may be used, or deleted, when."""

import datetime
import unittest


from multios import context as multios_context
from multios.db import keypairs as keypairs_db
from multios.db import launches as launches_db
from multios.launches import states
from multios.placement import model
from tests.unit import db_helpers

NOW = datetime.datetime(2026, 12, 1, 12, 0, 0)
A_MINUTE_AGO = NOW - datetime.timedelta(minutes=1)


class KeyPairRecordsTest(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.db = db_helpers.make_database(
            self, db_helpers.make_conf(self))
        db_helpers.stop_the_clock(self, NOW)

    def launch_with(self, request_id, *keys):
        """A launch of one instance per (cloud, key name, state)."""
        context = multios_context.RequestContext('p', 'u',
                                                 request_id=request_id)

        def create(session):
            launch = launches_db.create(
                session, context, {},
                ['vm-%d' % n for n in range(len(keys))], 'me')
            session.flush()
            for instance, (cloud, name, state) in zip(launch.instances,
                                                      keys):
                attempt = launches_db.add_attempt(
                    session, instance,
                    model.Candidate(cloud, 1.0, {}, flavor='f', image='i'))
                self.assertTrue(keypairs_db.use(session, attempt, name,
                                                A_MINUTE_AGO))
                instance.state = state
        self.db.run(create)

    def start_delete(self, cloud, name, holder='cleaner',
                     stale_before=A_MINUTE_AGO):
        return self.db.run(keypairs_db.start_delete, cloud, name, holder,
                           stale_before)

    def test_a_key_pair_in_flight_on_its_cloud_is_not_deleted(self):
        self.launch_with('req-1', ('a', 'key-b', states.BUILDING),
                         ('a', 'key-a', states.ACTIVE),
                         ('b', 'key-c', states.ACTIVE),
                         ('a', 'key-c', states.PLACED),
                         ('a', 'key-d', states.FAILED),
                         ('a', 'key-e', states.ACTIVE),
                         ('b', 'key-e', states.BUILDING))
        # key-b is in flight on a; key-a's and key-d's instances have
        # settled (whatever sorts before them); key-c is in flight on a
        # only, key-e on b only.
        self.assertEqual([False, True, True, False, True, True, False], [
            self.start_delete(cloud, name) for cloud, name in (
                ('a', 'key-b'), ('a', 'key-a'), ('b', 'key-c'),
                ('a', 'key-c'), ('a', 'key-d'), ('a', 'key-e'),
                ('b', 'key-e'))])

    def test_what_a_launch_used_is_its_own_attempts_keys(self):
        self.launch_with('req-1', ('a', 'key-1', states.ACTIVE),
                         ('b', 'key-1', states.ACTIVE))
        self.launch_with('req-2', ('a', 'key-2', states.ACTIVE))
        self.assertEqual([('a', 'key-1'), ('b', 'key-1')],
                         self.db.run(keypairs_db.used_by, 'req-1'))
        self.assertEqual([('a', 'key-2')],
                         self.db.run(keypairs_db.used_by, 'req-2'))
        self.assertEqual([('a', 'key-1'), ('a', 'key-2'), ('b', 'key-1')],
                         self.db.run(keypairs_db.recorded))

    def test_a_deletion_holds_the_key_pair_until_it_is_stale(self):
        self.launch_with('req-1', ('a', 'key', states.ACTIVE))
        self.assertTrue(self.start_delete('a', 'key', stale_before=NOW))
        # Begun exactly at stale_before: still another's deletion.
        self.assertFalse(self.start_delete('a', 'key', 'another', NOW))
        later = NOW + datetime.timedelta(microseconds=1)
        self.assertTrue(self.start_delete('a', 'key', 'another', later))

    def test_only_the_holder_ends_a_deletion(self):
        self.launch_with('req-1', ('a', 'key', states.ACTIVE))
        self.assertTrue(self.start_delete('a', 'key', 'holder'))
        self.db.run(keypairs_db.end_delete, 'a', 'key', 'another', True)
        self.assertEqual([('a', 'key')], self.db.run(keypairs_db.recorded))
        self.db.run(keypairs_db.end_delete, 'a', 'key', 'holder', True)
        self.assertEqual([], self.db.run(keypairs_db.recorded))
