# SPDX-License-Identifier: Apache-2.0
"""The leak cleanup: only what MultiOS's records say failed, two passes."""

import datetime
import unittest

from oslo_utils import timeutils

from multios import cleanup
from multios import context as multios_context
from multios import core as multios_core
from multios.db import cleanup as cleanup_db
from multios.db import launches as launches_db
from multios.launches import states
from tests.unit import db_helpers
from tests.unit import fake_clouds
from tests.unit import test_launches

CONTEXT = multios_context.RequestContext('p', 'u')


class CleanupTest(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = db_helpers.make_conf(
            self, engine={'poll_interval': 0, 'cleanup_min_age': 600,
                          'leak_ttl': 3600},
            placement={'max_attempts': 1})
        self.db = db_helpers.make_database(self, self.conf)
        self.nova = fake_clouds.FakeNova(limit=20)
        self.cloud = fake_clouds.FakeCloud('a', self.nova)
        self.core = self.make_core()
        timeutils.set_time_override()
        self.addCleanup(timeutils.clear_time_override)

    def make_core(self):
        core = multios_core.Core(
            self.conf, 'engine', db=self.db,
            federation=fake_clouds.FakeFederation(self.cloud))
        self.addCleanup(core.runner.stop, 5)
        return core

    def ended_launch(self, state, count=1, context=CONTEXT):
        """A launch that ended with its instances in ``state``, each with a
        server on cloud a -> (launch id, [server ids]).
        """
        launch = self.core.launches.accept(
            context, test_launches.request(count), carry=False)
        made = [self.nova.create(item['name'], 'img', 'f1', {
            'multios:project_id': 'p', 'multios:user_id': 'u',
            'multios:request_id': launch['id']}, 'auto')
            for item in launch['servers']]

        def end(session):
            row = launches_db.get(session, launch['id'])
            for instance, server in zip(row.instances, made):
                instance.state = state
                instance.server_id = instance.attempts[-1].server_id = \
                    server.id
                instance.attempts[-1].outcome = (
                    states.OUTCOME_ACTIVE if state == states.ACTIVE
                    else states.OUTCOME_UNAVAILABLE)
            launches_db.settle(session, row)
        self.db.run(end)
        return launch['id'], [s.id for s in made]

    def run_pass(self, core=None):
        return (core or self.core).cleaner.run()

    def test_a_leak_is_deleted_by_a_pass_min_age_after_the_first(self):
        _, [leak] = self.ended_launch(states.FAILED)
        first = self.run_pass()
        self.assertEqual([leak], [s.id for s in first.sighted])
        timeutils.advance_time_seconds(599)
        self.assertEqual([leak], [s.id for s in self.run_pass().waiting])
        self.assertIn(leak, self.nova.servers)
        timeutils.advance_time_seconds(1)
        self.assertEqual([leak], [s.id for s in self.run_pass().deleted])
        self.assertNotIn(leak, self.nova.servers)

    def test_a_server_of_a_launch_that_succeeded_is_never_a_leak(self):
        _, [server] = self.ended_launch(states.ACTIVE)
        self.nova.servers[server].status = 'ERROR'  # reset-state --error
        for _ in range(3):
            report = self.run_pass()
            timeutils.advance_time_seconds(3600)
            self.assertEqual([], report.sighted + report.deleted)
        self.assertIn(server, self.nova.servers)

    def test_a_duplicate_of_an_active_instance_is_a_leak(self):
        launch_id, [server] = self.ended_launch(states.ACTIVE)
        twin = self.nova.create('vm', 'img', 'f1', {
            'multios:project_id': 'p', 'multios:user_id': 'u',
            'multios:request_id': launch_id}, 'auto')
        self.run_pass()
        timeutils.advance_time_seconds(600)
        self.assertEqual([twin.id], [s.id for s in self.run_pass().deleted])
        self.assertIn(server, self.nova.servers)

    def test_unknown_or_unfinished_launches_are_left_alone(self):
        self.nova.create('vm', 'img', 'f1', {
            'multios:project_id': 'p', 'multios:user_id': 'u',
            'multios:request_id': 'req-not-ours'}, 'auto')
        unfinished = self.core.launches.accept(
            CONTEXT, test_launches.request(), carry=False)
        self.nova.create('vm', 'img', 'f1', {
            'multios:project_id': 'p', 'multios:user_id': 'u',
            'multios:request_id': unfinished['id']}, 'auto')
        self.nova.create('hand-made', 'img', 'f1', {}, 'auto')
        self.run_pass()
        timeutils.advance_time_seconds(600)
        report = self.run_pass()
        self.assertEqual([], report.sighted + report.deleted)
        self.assertEqual(3, len(self.nova.servers))

    def test_sightings_are_shared_by_every_process(self):
        _, [leak] = self.ended_launch(states.FAILED)
        self.run_pass()
        self.db.run(cleanup_db.release_lease, self.core.runner.id)
        timeutils.advance_time_seconds(600)
        other = self.make_core()
        self.assertEqual([leak], [s.id for s in self.run_pass(other).deleted])

    def test_records_older_than_leak_ttl_are_no_longer_candidates(self):
        _, [old] = self.ended_launch(states.FAILED)
        self.run_pass()
        timeutils.advance_time_seconds(3601)
        report = self.run_pass()
        self.assertEqual([], report.deleted + report.waiting)
        self.assertIn(old, self.nova.servers)
        self.assertEqual({}, self.db.run(cleanup_db.sightings))

    def test_one_process_at_a_time_holds_the_lease(self):
        self.ended_launch(states.FAILED)
        self.run_pass()
        other = self.make_core()
        report = self.run_pass(other)
        self.assertEqual(self.core.runner.id, report.holder)
        self.assertEqual([], report.sighted)
        timeutils.advance_time_seconds(self.core.cleaner.lease_seconds)
        self.assertIsNone(self.run_pass(other).holder)

    def test_the_lease_goes_to_another_only_once_it_expired(self):
        def take(holder):
            return self.db.run(cleanup_db.take_lease, holder, 60)

        def holder():
            return self.db.run(cleanup_db.lease_holder)
        self.assertTrue(take('proc-b'))
        self.assertEqual((False, False), (take('proc-a'), take('proc-c')))
        self.assertTrue(take('proc-b'))  # its holder keeps it
        timeutils.advance_time_seconds(60)  # it expires now
        self.assertIsNone(holder())
        self.assertTrue(take('proc-a'))
        timeutils.advance_time_seconds(61)  # expired a second ago
        self.assertIsNone(holder())
        self.assertTrue(take('proc-c'))
        self.assertEqual('proc-c', holder())

    def test_only_the_holder_gives_the_lease_back(self):
        self.run_pass()
        self.db.run(cleanup_db.release_lease, 'zz-another-process')
        self.assertEqual(self.core.runner.id,
                         self.db.run(cleanup_db.lease_holder))

    def test_a_launch_s_server_is_its_leak_only_where_it_was_tried(self):
        # Ids in a known order: the records of one must not take the
        # other's, whichever sorts first.
        first, _ = self.ended_launch(
            states.FAILED, context=multios_context.RequestContext(
                'p', 'u', request_id='req-1'))
        second, _ = self.ended_launch(
            states.FAILED, context=multios_context.RequestContext(
                'p', 'u', request_id='req-2'))

        def tried_elsewhere(session):
            [instance] = launches_db.get(session, second).instances
            instance.attempts[0].cloud = 'b'
        self.db.run(tried_elsewhere)
        found = self.db.run(cleanup_db.records,
                            timeutils.utcnow() - datetime.timedelta(hours=1))
        self.assertEqual({first: ({('a', 'vm')}, set()),
                          second: ({('b', 'vm')}, set())}, found)

    def test_a_one_shot_pass_gives_the_lease_back(self):
        self.core.cleaner.run(keep_lease=False)
        self.assertIsNone(self.run_pass(self.make_core()).holder)


class ReportTest(unittest.TestCase):

    def test_to_dict(self):
        report = cleanup.Report(holder='h', key_pairs=[('a', 'multios-x')])
        self.assertEqual({'deleted': [], 'sighted': [], 'waiting': [],
                          'errors': [], 'lease_holder': 'h',
                          'key_pairs': [{'cloud': 'a', 'name': 'multios-x'}]},
                         report.to_dict())
