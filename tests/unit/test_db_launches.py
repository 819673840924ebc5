# SPDX-License-Identifier: Apache-2.0
"""The launch transactions of multios/db/launches.py, one by one.

The launcher's tests drive them through whole launches; these pin what
each one promises on its own, where a whole launch would not notice.
"""

import datetime
import unittest

from oslo_utils import timeutils

from multios import context as multios_context
from multios.db import launches as launches_db
from multios import exception
from multios.launches import states
from multios.placement import model
from tests.unit import db_helpers

AN_HOUR_AGO = datetime.timedelta(hours=1)


class LaunchRecordsTest(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.db = db_helpers.make_database(
            self, db_helpers.make_conf(self))

    def record(self, request_id, owner, status=states.LAUNCH_BUILDING,
               names=('vm',)):
        """A launch of ``names`` owned by ``owner``, an hour silent."""
        context = multios_context.RequestContext('p', 'u',
                                                 request_id=request_id)

        def create(session):
            launch = launches_db.create(session, context, {}, names, owner)
            launch.status = status
            launch.heartbeat_at = timeutils.utcnow() - AN_HOUR_AGO
        self.db.run(create)
        return request_id

    def launch(self, launch_id):
        """(owner, heartbeat, cancel requested) of the launch."""
        def read(session):
            row = launches_db.get(session, launch_id)
            return row.owner, row.heartbeat_at, row.cancel_requested
        return self.db.run(read)

    def test_attempts_are_numbered_from_one(self):
        launch_id = self.record('req-1', 'me')

        def place_three_times(session):
            [instance] = launches_db.get(session, launch_id).instances
            for cloud in 'abc':
                candidate = model.Candidate(cloud, 1.0, {}, flavor='f1',
                                            image='img')
                launches_db.add_attempt(session, instance, candidate)
            return [(a.number, a.cloud) for a in instance.attempts]
        self.assertEqual([(1, 'a'), (2, 'b'), (3, 'c')],
                         self.db.run(place_three_times))

    def record_mine_and_others(self):
        """req-1..5: mine building, active and failed (statuses either
        side of 'building' in sort order), then others' (owners either side
        of 'me') building -> their ids.
        """
        for launch_id, owner, status in (
                ('req-1', 'me', states.LAUNCH_BUILDING),
                ('req-2', 'me', states.LAUNCH_ACTIVE),
                ('req-3', 'me', states.LAUNCH_FAILED),
                ('req-4', 'aaa', states.LAUNCH_BUILDING),
                ('req-5', 'zzz', states.LAUNCH_BUILDING)):
            self.record(launch_id, owner, status)
        return ['req-%d' % number for number in range(1, 6)]

    def test_a_heartbeat_refreshes_only_the_owner_s_unsettled_launches(self):
        ids = self.record_mine_and_others()
        before = timeutils.utcnow() - datetime.timedelta(minutes=1)
        self.assertEqual(1, self.db.run(launches_db.heartbeat, 'me', ids))
        self.assertEqual(['req-1'], [launch_id for launch_id in ids
                                     if self.launch(launch_id)[1] > before])

    def test_adopting_one_orphan_leaves_its_owner_s_others(self):
        for launch_id in ('req-1', 'req-2', 'req-3'):
            self.record(launch_id, 'dead')
        cutoff = timeutils.utcnow() - datetime.timedelta(minutes=1)
        self.assertTrue(self.db.run(launches_db.adopt, 'req-2', 'dead',
                                    'me', cutoff))
        self.assertEqual(['dead', 'me', 'dead'],
                         [self.launch(i)[0]
                          for i in ('req-1', 'req-2', 'req-3')])
        # Once adopted, it is nobody's orphan: a second adopter loses.
        self.assertFalse(self.db.run(launches_db.adopt, 'req-2', 'dead',
                                     'another', cutoff))

    def test_only_the_owner_may_ask_whether_to_cancel(self):
        # Owners on either side of 'me' in sort order.
        for launch_id, owner in (('req-1', 'aaa'), ('req-2', 'zzz')):
            self.record(launch_id, owner)
            self.assertRaises(launches_db.LostOwnership, self.db.run,
                              launches_db.cancel_requested, launch_id, 'me')
        self.record('req-3', 'me')
        self.assertFalse(self.db.run(launches_db.cancel_requested,
                                     'req-3', 'me'))
        self.db.run(launches_db.request_cancel, 'req-3')
        self.assertTrue(self.db.run(launches_db.cancel_requested,
                                    'req-3', 'me'))

    def test_a_claim_is_the_owner_s_only(self):
        self.record('req-1', 'me')
        self.db.run(launches_db.claim, 'req-1', 'me')
        for owner in ('aaa', 'zzz'):
            self.record('req-' + owner, owner)
            self.assertRaises(launches_db.LostOwnership, self.db.run,
                              launches_db.claim, 'req-' + owner, 'me')
        self.assertRaises(launches_db.LostOwnership, self.db.run,
                          launches_db.claim, 'req-missing', 'me')

    def test_orphans_are_the_silent_and_the_ownerless_unsettled_launches(self):
        self.record('req-silent', 'dead')
        self.record('req-ownerless', None)
        self.record('req-ended', 'dead', states.LAUNCH_FAILED)
        self.record('req-done', 'dead', states.LAUNCH_ACTIVE)
        self.record('req-alive', 'me')
        self.db.run(launches_db.heartbeat, 'me', ['req-alive'])
        cutoff = timeutils.utcnow() - datetime.timedelta(minutes=1)
        self.assertEqual([('req-silent', 'dead'), ('req-ownerless', None)],
                         self.db.run(launches_db.orphans, cutoff))

    def test_find_filters_by_project_and_state_newest_first(self):
        self.record('req-1', 'me', states.LAUNCH_ACTIVE)
        self.record('req-2', 'me')
        self.record('req-3', 'me', states.LAUNCH_FAILED)

        def elsewhere(session):
            launches_db.get(session, 'req-2').project_id = 'zz-other'
        self.db.run(elsewhere)

        def find(**kwargs):
            return self.db.run(lambda session: [
                launch.id for launch in launches_db.find(session, **kwargs)])
        self.assertEqual(['req-3', 'req-2', 'req-1'], find())
        self.assertEqual(['req-3', 'req-1'], find(project_id='p'))
        self.assertEqual(['req-2'], find(unsettled=True))
        self.assertEqual(['req-3', 'req-2'], find(limit=2))

    def test_a_settled_launch_s_reason_names_its_failed_instances(self):
        launch_id = self.record('req-1', 'me', names=('vm-1', 'vm-2'))

        def end(session):
            launch = launches_db.get(session, launch_id)
            first, second = launch.instances
            first.state, first.reason = states.FAILED, 'No valid host'
            # An instance that failed once and then came up keeps a reason.
            second.state, second.reason = states.ACTIVE, 'retried on b'
            self.assertTrue(launches_db.settle(session, launch))
            return launch.status, launch.reason
        self.assertEqual((states.LAUNCH_PARTIAL, 'vm-1: No valid host'),
                         self.db.run(end))

    def test_a_launch_whose_owner_beat_since_the_cutoff_is_not_adopted(self):
        self.record('req-1', 'slow')
        cutoff = timeutils.utcnow() - datetime.timedelta(minutes=1)
        # The owner beat between the adopter's look and its swap.
        self.db.run(launches_db.heartbeat, 'slow', ['req-1'])
        self.assertFalse(self.db.run(launches_db.adopt, 'req-1', 'slow',
                                     'me', cutoff))
        self.assertEqual('slow', self.launch('req-1')[0])

    def test_a_heartbeat_at_the_cutoff_is_not_an_orphan_s(self):
        self.record('req-1', 'owner')
        beat_at = self.db.run(
            lambda session: launches_db.get(session, 'req-1').heartbeat_at)
        self.assertEqual([], self.db.run(launches_db.orphans, beat_at))
        later = beat_at + datetime.timedelta(microseconds=1)
        self.assertEqual([('req-1', 'owner')],
                         self.db.run(launches_db.orphans, later))

    def test_a_settled_launch_cannot_be_cancelled(self):
        for status in (states.LAUNCH_ACTIVE, states.LAUNCH_FAILED):
            launch_id = self.record('req-' + status, 'me', status)
            self.assertRaises(exception.LaunchSettled, self.db.run,
                              launches_db.request_cancel, launch_id)
            self.assertFalse(self.launch(launch_id)[2])

    def test_settling_a_settled_launch_changes_nothing(self):
        settled_at = datetime.datetime(2026, 1, 1)
        # Either side of 'building' in sort order, each instance in the
        # state another status would be computed from.
        for status, state in ((states.LAUNCH_ACTIVE, states.FAILED),
                              (states.LAUNCH_FAILED, states.ACTIVE)):
            launch_id = self.record('req-' + status, 'me', status)

            def settle_again(session):
                launch = launches_db.get(session, launch_id)
                launch.settled_at = settled_at
                [instance] = launch.instances
                instance.state = state
                self.assertTrue(launches_db.settle(session, launch))
                return launch.status, launch.settled_at
            self.assertEqual((status, settled_at),
                             self.db.run(settle_again))

    def test_a_launch_with_an_unsettled_instance_does_not_settle(self):
        launch_id = self.record('req-1', 'me', names=('vm-1', 'vm-2'))

        def settle(session):
            launch = launches_db.get(session, launch_id)
            launch.instances[0].state = states.ACTIVE
            launch.instances[1].state = states.BUILDING
            return launches_db.settle(session, launch), launch.status
        self.assertEqual((False, states.LAUNCH_BUILDING),
                         self.db.run(settle))

    def test_a_recorded_launch_has_a_heartbeat_when_it_has_an_owner(self):
        def create(session, request_id, owner):
            launch = launches_db.create(
                session, multios_context.RequestContext(
                    'p', 'u', request_id=request_id), {}, ['vm'], owner)
            return launch.heartbeat_at is not None
        self.assertTrue(self.db.run(create, 'req-1', 'me'))
        self.assertFalse(self.db.run(create, 'req-2', None))

    def test_an_orphan_another_adopter_took_is_not_adopted_again(self):
        # The adopter read (req-N, dead); another took it, and died too
        # (owners either side of 'dead' in sort order).
        cutoff = timeutils.utcnow() - datetime.timedelta(minutes=1)
        for launch_id, owner in (('req-1', 'aa-dead'), ('req-2', 'zz-dead')):
            self.record(launch_id, owner)
            self.assertFalse(self.db.run(launches_db.adopt, launch_id,
                                         'dead', 'me', cutoff))
            self.assertEqual(owner, self.launch(launch_id)[0])

    def test_a_heartbeat_at_the_cutoff_is_not_adopted_over(self):
        self.record('req-1', 'owner')
        beat_at = self.db.run(
            lambda session: launches_db.get(session, 'req-1').heartbeat_at)
        self.assertFalse(self.db.run(launches_db.adopt, 'req-1', 'owner',
                                     'me', beat_at))
        later = beat_at + datetime.timedelta(microseconds=1)
        self.assertTrue(self.db.run(launches_db.adopt, 'req-1', 'owner',
                                    'me', later))

    def test_a_launch_that_settled_meanwhile_is_not_adopted(self):
        cutoff = timeutils.utcnow() - datetime.timedelta(minutes=1)
        # Statuses either side of 'building' in sort order.
        for status in (states.LAUNCH_ACTIVE, states.LAUNCH_FAILED):
            launch_id = self.record('req-' + status, 'dead', status)
            self.assertFalse(self.db.run(launches_db.adopt, launch_id,
                                         'dead', 'me', cutoff))
            self.assertEqual('dead', self.launch(launch_id)[0])

    def test_hand_back_gives_up_the_owner_s_unsettled_launches_only(self):
        ids = self.record_mine_and_others()
        self.assertEqual(1, self.db.run(launches_db.hand_back, 'me'))
        self.assertEqual([None, 'me', 'me', 'aaa', 'zzz'],
                         [self.launch(launch_id)[0] for launch_id in ids])
