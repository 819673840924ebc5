# SPDX-License-Identifier: Apache-2.0
"""Durable launches over a real sqlite database and in-memory Novas.

Each test accepts a launch as a front end would (``LaunchService.accept``),
lets the process's ``Runner`` carry it and reads the LAUNCH body back. The
clouds are ``FakeNova``s (tests/unit/fake_clouds.py); every state change is
a real transaction of the real schema.
"""

import datetime
import re
import threading
import unittest

from novaclient import exceptions as nova_exc
from oslo_utils import timeutils

from multios import context as multios_context
from multios import core as multios_core
from multios.db import launches as launches_db
from multios.db import models
from multios import exception
from multios import launcher as launcher_mod
from multios.launches import states
from multios.placement import model
from tests.unit import db_helpers
from tests.unit import fake_clouds

CONTEXT = multios_context.RequestContext('home-project', 'home-user')
WAIT = 30


def request(count=1, **kwargs):
    return model.LaunchRequest('vm', 'm1.tiny', 'cirros', count=count,
                               **kwargs)


class LaunchTestCase(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.events = []
        self.conf = db_helpers.make_conf(
            self, placement={'strategy': 'spread', 'max_attempts': 3,
                             'launch_timeout': 30, 'quota_cache_ttl': 60},
            engine={'poll_interval': 0.005, 'heartbeat_interval': 0.05,
                    'adopt_after': 0.5})
        self.db = db_helpers.make_database(self, self.conf)

    def core(self, *clouds, kind='api'):
        """A process's core over ``clouds`` and the test's database."""
        core = multios_core.Core(
            self.conf, kind, db=self.db,
            federation=fake_clouds.FakeFederation(*clouds))
        self.addCleanup(core.runner.stop, 5)
        return core

    def clouds(self, *specs):
        return fake_clouds.clouds(*specs, events=self.events)

    def launch(self, core, count=1, context=CONTEXT, **kwargs):
        """Accept a launch, wait for this process to end it -> LAUNCH."""
        launch = core.launches.accept(context, request(count, **kwargs))
        core.runner.wait(launch['id'], WAIT)
        return core.launches.get(context, launch['id'])

    def _attempt_records(self, launch_id):
        """[(cloud, leftover, its reservation)] of the launch's attempts."""
        def read(session):
            reservations = {r.attempt_id: r for r in session.query(
                models.Reservation)}
            records = []
            for attempt in session.query(models.LaunchAttempt).join(
                    models.LaunchInstance).filter(
                    models.LaunchInstance.launch_id == launch_id).order_by(
                    models.LaunchAttempt.id):
                reservation = reservations.get(attempt.id)
                records.append((attempt.cloud, attempt.leftover,
                                'released' if reservation is None else
                                'counted' if reservation.counted_after else
                                'reserved'))
            return records
        return self.db.run(read)


def _wait(predicate):
    deadline = timeutils.utcnow() + datetime.timedelta(seconds=WAIT)
    while not predicate():
        assert timeutils.utcnow() < deadline, 'timed out'
        threading.Event().wait(0.01)


def attempts(item):
    return [(a['cloud'], a['outcome']) for a in item['attempts']]


class AcceptTest(LaunchTestCase):

    def test_accept_answers_before_any_server_exists(self):
        nova = fake_clouds.FakeNova(limit=5)
        core = self.core(fake_clouds.FakeCloud('a', nova))
        # This process will not carry it: nothing can have been created.
        launch = core.launches.accept(CONTEXT, request(2), carry=False)
        self.assertEqual('building', launch['status'])
        self.assertEqual(CONTEXT.request_id, launch['id'])
        self.assertEqual(
            [('vm-1', 'a', None, 'BUILD', 'launching on a, attempt 1 of 3'),
             ('vm-2', 'a', None, 'BUILD', 'launching on a, attempt 1 of 3')],
            [(s['name'], s['cloud'], s['id'], s['status'], s['task'])
             for s in launch['servers']])
        self.assertEqual({}, nova.servers)

    def test_launch_ends_active_with_owner_metadata(self):
        small, big = self.clouds(('small', 'active', 2), ('big', 'active', 8))
        launch = self.launch(self.core(small, big))
        self.assertEqual('active', launch['status'])
        [item] = launch['servers']
        self.assertEqual(('big', 'ACTIVE', None),
                         (item['cloud'], item['status'], item['task']))
        self.assertEqual([('big', 'active')], attempts(item))
        self.assertEqual({'multios:project_id': 'home-project',
                          'multios:user_id': 'home-user',
                          'multios:request_id': launch['id']},
                         big.fake.servers[item['id']].metadata)

    def test_launch_keeps_the_ranking_it_was_placed_by(self):
        small, big = self.clouds(('small', 'active', 2), ('big', 'active', 8))
        core = self.core(small, big)
        launch = core.launches.accept(CONTEXT, request(2), carry=False)
        placement = core.launches.get(CONTEXT, launch['id'])['placement']
        self.assertEqual(placement, launch['placement'])
        self.assertEqual(['big', 'small'],
                         [c['cloud'] for c in placement['ranked']])
        self.assertEqual(['big', 'big'], placement['plan'])
        self.assertEqual([], placement['rejected'])

    def test_count_beyond_quota_records_and_creates_nothing(self):
        a, b = self.clouds(('a', 'active', 1), ('b', 'active', 2))
        core = self.core(a, b)
        with self.assertRaises(exception.NoValidCloud) as caught:
            core.launches.accept(CONTEXT, request(4))
        self.assertIn('only 3 of 4 instances fit', str(caught.exception))
        self.assertEqual([], core.launches.list(CONTEXT))
        self.assertEqual([], self.events)

    def test_count_fills_quotas_exactly(self):
        clouds = self.clouds(('a', 'active', 2), ('b', 'active', 4),
                             ('c', 'active', 6))
        launch = self.launch(self.core(*clouds), count=12)
        self.assertEqual('active', launch['status'])
        self.assertEqual([2, 4, 6], [len(c.fake.servers) for c in clouds])
        self.assertEqual(['vm-%d' % i for i in range(1, 13)],
                         [s['name'] for s in launch['servers']])

    def test_reservations_hold_the_quota_for_the_next_launch(self):
        a, b = self.clouds(('a', 'active', 1), ('b', 'active', 1))
        core = self.core(a, b)
        self.launch(core, count=2)
        # The limits read before the first launch are still fresh: only
        # the reservations of the two instances can tell they are taken.
        with self.assertRaises(exception.NoValidCloud) as caught:
            core.launches.accept(CONTEXT, request())
        self.assertEqual(
            ['quota exceeded for instances: 1 needed, 0 free'] * 2,
            [r.reason for r in caught.exception.rejections])
        self.assertEqual(1, a.usage_reads)

    def test_concurrent_accepts_never_take_more_than_the_free_quota(self):
        clouds = self.clouds(('a', 'active', 2), ('b', 'active', 3))
        processes = [self.core(*clouds) for _ in range(3)]
        accepted, refused = [], []

        def accept(core, index):
            context = multios_context.RequestContext('p%d' % index, 'u')
            try:
                accepted.append(core.launches.accept(context, request(2)))
            except exception.NoValidCloud:
                refused.append(index)

        threads = [threading.Thread(target=accept,
                                    args=(processes[i % 3], i))
                   for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT)
        self.assertEqual(2, len(accepted))
        self.assertEqual(4, len(refused))
        for launch in accepted:
            for core in processes:
                core.runner.wait(launch['id'], WAIT)
        self.assertEqual(4, sum(len(c.fake.servers) for c in clouds))
        self.assertEqual(set(), {s.status for c in clouds
                                 for s in c.fake.servers.values()} -
                         {'ACTIVE'})

    def test_pinned_cloud_unknown(self):
        core = self.core(*self.clouds(('a', 'active', 5)))
        self.assertRaises(exception.CloudNotFound, core.launches.accept,
                          CONTEXT, request(cloud='nowhere'))


class FailoverTest(LaunchTestCase):

    def test_quota_refusal_fails_over_and_rereads_that_clouds_limits(self):
        refusing, ok = self.clouds(('refusing', 'quota', 9),
                                   ('ok', 'active', 5))
        core = self.core(refusing, ok)
        launch = self.launch(core)
        [item] = launch['servers']
        self.assertEqual([('refusing', 'quota'), ('ok', 'active')],
                         attempts(item))
        self.assertIn('Quota exceeded', item['attempts'][0]['reason'])
        # Its usage changed behind MultiOS's back: the fail-over read it
        # again, although the first read was younger than quota_cache_ttl;
        # the other cloud's limits were reused.
        self.assertEqual(2, refusing.usage_reads)
        self.assertEqual(1, ok.usage_reads)

    def test_error_server_is_gone_before_the_next_cloud_is_tried(self):
        broken, ok = self.clouds(('broken', 'error', 9), ('ok', 'active', 5))
        launch = self.launch(self.core(broken, ok))
        [item] = launch['servers']
        self.assertEqual(('ok', 'ACTIVE'), (item['cloud'], item['status']))
        self.assertEqual([('broken', 'error', 'ERROR: No valid host was '
                                              'found.'),
                          ('ok', 'active', 'ACTIVE')],
                         [(a['cloud'], a['outcome'], a['reason'])
                          for a in item['attempts']])
        calls = [event[:2] for event in self.events]
        self.assertLess(calls.index(('broken', 'gone')),
                        calls.index(('ok', 'create')))
        # Only an adopter looks for a server before its create.
        self.assertNotIn('list', [call[1] for call in calls])
        self.assertEqual({}, broken.fake.servers)
        self.assertEqual((1, 'No valid host was found.'),
                         (broken.health.consecutive_failures,
                          broken.health.last_error))
        # Gone: not a leftover, and its quota is free again.
        self.assertEqual([('broken', False, 'released'),
                          ('ok', False, 'counted')],
                         self._attempt_records(launch['id']))

    def test_a_server_that_will_not_go_is_left_holding_its_quota(self):
        self.conf.set_override('launch_timeout', 2, group='placement')
        for behaviour, why in (('undeletable', 'cannot connect'),
                               ('sticky', 'not deleted within 2s')):
            with self.subTest(behaviour):
                stuck, ok = self.clouds((behaviour, behaviour, 9),
                                        ('ok', 'active', 5))
                with self.assertLogs('multios.launcher', 'WARNING') as logs:
                    launch = self.launch(
                        self.core(stuck, ok), context=multios_context
                        .RequestContext('home-project', 'home-user'))
                [item] = launch['servers']
                self.assertEqual([(behaviour, 'error'), ('ok', 'active')],
                                 attempts(item))
                self.assertEqual(1, len(stuck.fake.servers))
                self.assertIn('vm: %s may have left a server, for cleanup: '
                              '%s' % (behaviour, why), logs.output[-1])
                # Nova may still count it: its reservation goes on holding
                # the quota until a read of the limits includes it.
                self.assertEqual([(behaviour, True, 'counted'),
                                  ('ok', False, 'counted')],
                                 self._attempt_records(launch['id']))

    def test_each_way_an_attempt_fails_is_recorded_and_fails_over(self):
        # behaviour: outcome, reason, the cloud's failures, limits reads
        cases = {
            'vanish': ('error', 'the server disappeared', 0, 1),
            'poll-down': ('unavailable', 'cannot connect', 0, 1),
            # Nova's quota recheck: not the cloud's failure, and what
            # was read of its usage is stale.
            'overquota': ('quota', 'ERROR: Quota exceeded for instances',
                          0, 2),
            'refuse': ('refused', 'Invalid key_name provided.', 0, 1),
        }
        for behaviour, (outcome, reason, failures, reads) in cases.items():
            with self.subTest(behaviour):
                failing, ok = self.clouds((behaviour, behaviour, 9),
                                          ('ok', 'active', 5))
                [item] = self.launch(
                    self.core(failing, ok), context=multios_context
                    .RequestContext('home-project', 'home-user'))['servers']
                self.assertEqual([(behaviour, outcome), ('ok', 'active')],
                                 attempts(item))
                self.assertIn(reason, item['attempts'][0]['reason'])
                self.assertEqual((failures, reads), (
                    failing.health.consecutive_failures,
                    failing.usage_reads))
                self.assertEqual({}, failing.fake.servers)

    def test_a_server_past_scheduling_is_counted_before_it_is_active(self):
        hung, = self.clouds(('hung', 'hang', 9))
        core = self.core(hung)
        launch = core.launches.accept(CONTEXT, request())
        _wait(lambda: any(s.polls >= 2 for s in hung.fake.servers.values()))
        # Nova counts it in its usage from now: the next read of the
        # limits does, and the reservation must stop counting then.
        self.assertEqual([('hung', False, 'counted')],
                         self._attempt_records(launch['id']))
        self.assertEqual('building', core.launches.get(
            CONTEXT, launch['id'])['status'])
        core.launches.cancel(CONTEXT, launch['id'])
        core.runner.wait(launch['id'], WAIT)

    def test_timeout_deletes_and_fails_over(self):
        self.conf.set_override('launch_timeout', 1, group='placement')
        hung, ok = self.clouds(('hung', 'hang', 9), ('ok', 'active', 5))
        launch = self.launch(self.core(hung, ok))
        [item] = launch['servers']
        self.assertEqual(('timeout', 'not ACTIVE within 1s (still BUILD)'),
                         (item['attempts'][0]['outcome'],
                          item['attempts'][0]['reason']))
        self.assertEqual(['hung-srv-1'], hung.fake.deleted)
        self.assertEqual('ok', item['cloud'])

    def test_unreachable_cloud_fails_over(self):
        down, ok = self.clouds(('down', 'down', 9), ('ok', 'active', 5))
        [item] = self.launch(self.core(down, ok))['servers']
        self.assertEqual([('down', 'unavailable'), ('ok', 'active')],
                         attempts(item))

    def test_a_create_without_answer_is_found_and_deleted_first(self):
        lost, ok = self.clouds(('lost', 'lost', 9), ('ok', 'active', 5))
        [item] = self.launch(self.core(lost, ok))['servers']
        self.assertEqual([('lost', 'unavailable'), ('ok', 'active')],
                         attempts(item))
        self.assertEqual(['lost-srv-1'], lost.fake.deleted)
        self.assertEqual(1, len(ok.fake.servers))

    def test_every_attempt_failing_fails_the_launch_with_each_reason(self):
        clouds = self.clouds(('a', 'quota', 9), ('b', 'error', 8),
                             ('c', 'down', 7))
        launch = self.launch(self.core(*clouds))
        self.assertEqual('failed', launch['status'])
        [item] = launch['servers']
        self.assertEqual(('ERROR', None), (item['status'], item['id']))
        self.assertEqual([('a', 'quota'), ('b', 'error'),
                          ('c', 'unavailable')],
                         attempts(item))
        self.assertIn('b: ERROR: No valid host', launch['reason'])
        self.assertEqual({}, clouds[1].fake.servers)

    def test_a_failed_instance_says_why_no_other_cloud_was_tried(self):
        broken, = self.clouds(('broken', 'error', 9))
        off = fake_clouds.FakeCloud('off', fake_clouds.FakeNova(),
                                    enabled=False)
        launch = self.launch(self.core(broken, off))
        self.assertEqual('vm: broken: ERROR: No valid host was found.; no '
                         'other cloud: broken: already failed for this '
                         'instance; off: disabled by the operator',
                         launch['reason'])

    def test_max_attempts_bounds_the_clouds_tried(self):
        self.conf.set_override('max_attempts', 2, group='placement')
        clouds = self.clouds(('a', 'error', 9), ('b', 'error', 8),
                             ('c', 'error', 7))
        [item] = self.launch(self.core(*clouds))['servers']
        self.assertEqual(['a', 'b'], [a['cloud'] for a in item['attempts']])

    def test_failover_counts_the_other_instances_in_flight(self):
        clouds = self.clouds(('a', 'error', 1), ('b', 'active', 1),
                             ('c', 'active', 1))
        launch = self.launch(self.core(*clouds), count=2)
        first, second = launch['servers']
        # Every cloud has one free slot: vm-1 and vm-2 took a and b; vm-1
        # then fails over to c, the one cloud left with room.
        self.assertEqual([('a', 'error'), ('c', 'active')], attempts(first))
        self.assertEqual([('b', 'active')], attempts(second))

    def test_partial_launch_reports_every_server_that_started(self):
        self.conf.set_override('max_attempts', 1, group='placement')
        good, bad = self.clouds(('good', 'active', 1), ('bad', 'error', 1))
        launch = self.launch(self.core(good, bad), count=2)
        self.assertEqual('partial', launch['status'])
        started = [s for s in launch['servers'] if s['status'] == 'ACTIVE']
        self.assertEqual([('good', list(good.fake.servers))],
                         [(s['cloud'], [s['id']]) for s in started])


class CancelTest(LaunchTestCase):

    def test_cancel_during_a_launch_leaves_nothing(self):
        hung, = self.clouds(('hung', 'hang', 9))
        core = self.core(hung)
        launch = core.launches.accept(CONTEXT, request(2))
        _wait(lambda: len(hung.fake.servers) == 2)
        cancelling = core.launches.cancel(CONTEXT, launch['id'])
        self.assertEqual(['deleting on hung'] * 2,
                         [s['task'] for s in cancelling['servers']])
        core.runner.wait(launch['id'], WAIT)
        launch = core.launches.get(CONTEXT, launch['id'])
        self.assertEqual('cancelled', launch['status'])
        self.assertEqual(['DELETED'] * 2,
                         [s['status'] for s in launch['servers']])
        self.assertEqual({}, hung.fake.servers)

    def test_cancel_deletes_instances_already_active(self):
        fast, hung = self.clouds(('fast', 'active', 1), ('hung', 'hang', 1))
        core = self.core(fast, hung)
        launch = core.launches.accept(CONTEXT, request(2))
        _wait(lambda: [s.status for s in fast.fake.servers.values()] ==
              ['ACTIVE'])
        core.launches.cancel(CONTEXT, launch['id'])
        core.runner.wait(launch['id'], WAIT)
        self.assertEqual('cancelled',
                         core.launches.get(CONTEXT, launch['id'])['status'])
        self.assertEqual(({}, {}), (fast.fake.servers, hung.fake.servers))

    def test_a_launch_that_ended_cannot_be_cancelled(self):
        core = self.core(*self.clouds(('a', 'active', 5)))
        launch = self.launch(core)
        self.assertRaises(exception.LaunchSettled, core.launches.cancel,
                          CONTEXT, launch['id'])

    def test_another_projects_launch_is_not_found(self):
        core = self.core(*self.clouds(('a', 'active', 5)))
        launch = self.launch(core)
        other = multios_context.RequestContext('other', 'u')
        self.assertRaises(exception.LaunchNotFound, core.launches.get, other,
                          launch['id'])
        self.assertRaises(exception.LaunchNotFound, core.launches.cancel,
                          other, launch['id'])
        self.assertEqual([], core.launches.list(other))
        self.assertRaises(exception.Forbidden, core.launches.list, other,
                          all_tenants=True)


class AdoptionTest(LaunchTestCase):

    def _orphan(self, core, count=1):
        """A launch recorded by a process that died at once."""
        launch = core.launches.accept(CONTEXT, request(count), carry=False)

        def died(session):
            row = session.get(models.Launch, launch['id'])
            row.owner = 'dead-host:1:0'
            row.heartbeat_at = timeutils.utcnow() - datetime.timedelta(
                seconds=60)
        self.db.run(died)
        return launch

    def test_adopter_finds_the_server_the_dead_owner_made(self):
        nova = fake_clouds.FakeNova(limit=5)
        cloud = fake_clouds.FakeCloud('a', nova)
        core = self.core(cloud)
        launch = self._orphan(core)
        # Same name, listed first: another launch's, and one not MultiOS's.
        nova.create('vm', 'img', 'f1', {'multios:request_id': 'req-~other'},
                    'auto')
        nova.create('vm', 'img', 'f1', {}, 'auto')
        # The dead owner's create went out before it died.
        made = nova.create('vm', 'img', 'f1', {
            'multios:project_id': 'home-project',
            'multios:user_id': 'home-user',
            'multios:request_id': launch['id']}, 'auto')
        adopter = self.core(cloud, kind='engine')
        self.assertEqual([launch['id']], adopter.runner.adopt_orphans())
        adopter.runner.wait(launch['id'], WAIT)
        launch = adopter.launches.get(CONTEXT, launch['id'])
        self.assertEqual('active', launch['status'])
        self.assertEqual([made.id], [s['id'] for s in launch['servers']])
        self.assertEqual(3, nova.creates)

    def test_a_cancelled_orphan_s_server_is_found_and_deleted(self):
        nova = fake_clouds.FakeNova(limit=5)
        cloud = fake_clouds.FakeCloud('a', nova)
        core = self.core(cloud)
        launch = self._orphan(core)
        nova.create('vm', 'img', 'f1', {
            'multios:project_id': 'home-project',
            'multios:user_id': 'home-user',
            'multios:request_id': launch['id']}, 'auto')
        core.launches.cancel(CONTEXT, launch['id'])
        adopter = self.core(cloud, kind='engine')
        self.assertEqual([launch['id']], adopter.runner.adopt_orphans())
        adopter.runner.wait(launch['id'], WAIT)
        ended = adopter.launches.get(CONTEXT, launch['id'])
        self.assertEqual('cancelled', ended['status'])
        self.assertEqual({}, nova.servers)  # found, then deleted
        self.assertEqual(1, nova.creates)  # nothing made anew

    def test_a_cancelled_orphan_that_made_nothing_ends_its_attempt(self):
        nova = fake_clouds.FakeNova(limit=5)
        cloud = fake_clouds.FakeCloud('a', nova)
        core = self.core(cloud)
        launch = self._orphan(core)
        core.launches.cancel(CONTEXT, launch['id'])
        adopter = self.core(cloud, kind='engine')
        self.assertEqual([launch['id']], adopter.runner.adopt_orphans())
        adopter.runner.wait(launch['id'], WAIT)
        [item] = adopter.launches.get(CONTEXT, launch['id'])['servers']
        self.assertEqual([('a', 'cancelled')], attempts(item))
        self.assertEqual(0, nova.creates)
        self.assertEqual([], self.db.run(
            lambda session: session.query(models.Reservation).all()))

    def test_an_adopter_allowed_fewer_attempts_tries_no_more(self):
        # The operator lowered max_attempts; the orphan had tried more.
        a, b, c = self.clouds(('a', 'error', 9), ('b', 'error', 8),
                              ('c', 'active', 7))
        core = self.core(a, b, c)
        launch = self._orphan(core)

        def two_failed_tries(session):
            instance = launches_db.get(session, launch['id']).instances[0]
            now = timeutils.utcnow()
            first = instance.attempts[0]
            first.outcome, first.reason, first.ended_at = 'error', 'x', now
            instance.attempts.append(models.LaunchAttempt(
                number=2, cloud='b', flavor_id='f1', image_id='img',
                outcome='error', reason='x', leftover=False, started_at=now,
                ended_at=now))
            instance.state = states.PENDING
        self.db.run(two_failed_tries)
        self.conf.set_override('max_attempts', 1, group='placement')
        adopter = self.core(a, b, c, kind='engine')
        self.assertEqual([launch['id']], adopter.runner.adopt_orphans())
        adopter.runner.wait(launch['id'], WAIT)
        ended = adopter.launches.get(CONTEXT, launch['id'])
        self.assertEqual('failed', ended['status'])
        self.assertEqual([('a', 'error'), ('b', 'error')],
                         attempts(ended['servers'][0]))
        self.assertEqual(0, c.fake.creates)

    def test_an_adopter_that_cannot_look_fails_over_and_leaves_a_mark(self):
        a, b = self.clouds(('a', 'active', 9), ('b', 'active', 5))
        core = self.core(a, b)
        launch = self._orphan(core)
        a.fake.listing_down = True  # whether the dead owner made one: unknown
        adopter = self.core(a, b, kind='engine')
        self.assertEqual([launch['id']], adopter.runner.adopt_orphans())
        adopter.runner.wait(launch['id'], WAIT)
        [item] = adopter.launches.get(CONTEXT, launch['id'])['servers']
        self.assertEqual([('a', 'unavailable'), ('b', 'active')],
                         attempts(item))
        self.assertEqual([('a', True, 'counted'), ('b', False, 'counted')],
                         self._attempt_records(launch['id']))

    def test_adopter_creates_what_the_dead_owner_did_not(self):
        nova = fake_clouds.FakeNova(limit=5)
        cloud = fake_clouds.FakeCloud('a', nova)
        launch = self._orphan(self.core(cloud), count=2)
        adopter = self.core(cloud, kind='engine')
        adopter.runner.adopt_orphans()
        adopter.runner.wait(launch['id'], WAIT)
        self.assertEqual('active',
                         adopter.launches.get(CONTEXT, launch['id'])['status'])
        self.assertEqual(2, nova.creates)

    def test_exactly_one_of_several_adopters_wins(self):
        cloud = fake_clouds.FakeCloud('a', fake_clouds.FakeNova(
            'hang', limit=5))
        launch = self._orphan(self.core(cloud))
        adopters = [self.core(cloud, kind='engine') for _ in range(4)]
        won = []
        barrier = threading.Barrier(len(adopters))

        def adopt(core):
            barrier.wait()
            won.extend(core.runner.adopt_orphans())

        threads = [threading.Thread(target=adopt, args=(core,))
                   for core in adopters]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT)
        self.assertEqual([launch['id']], won)

    def test_a_live_owners_launch_is_not_adopted(self):
        cloud = fake_clouds.FakeCloud('a', fake_clouds.FakeNova(
            'hang', limit=5))
        owner = self.core(cloud)
        launch = owner.launches.accept(CONTEXT, request())
        owner.runner.beat()
        self.assertEqual([], self.core(cloud, kind='engine')
                         .runner.adopt_orphans())
        self.assertEqual(owner.runner.id, self.db.run(
            lambda s: launches_db.get(s, launch['id']).owner))

    def test_stop_hands_back_and_another_process_finishes(self):
        nova = fake_clouds.FakeNova('hang', limit=5)
        cloud = fake_clouds.FakeCloud('a', nova)
        owner = self.core(cloud)
        launch = owner.launches.accept(CONTEXT, request())
        owner.runner.stop(timeout=5)
        self.assertIsNone(self.db.run(
            lambda s: launches_db.get(s, launch['id']).owner))
        nova.behaviour = 'active'
        adopter = self.core(cloud, kind='engine')
        self.assertEqual([launch['id']], adopter.runner.adopt_orphans())
        adopter.runner.wait(launch['id'], WAIT)
        self.assertEqual('active',
                         adopter.launches.get(CONTEXT, launch['id'])['status'])
        self.assertEqual(1, len(nova.servers))

    def test_the_old_owner_stops_once_its_launch_is_adopted(self):
        nova = fake_clouds.FakeNova('hang', limit=5)
        cloud = fake_clouds.FakeCloud('a', nova)
        owner = self.core(cloud)
        launch = owner.launches.accept(CONTEXT, request())
        _wait(lambda: nova.servers and all(
            s.polls > 1 for s in nova.servers.values()))
        self.db.run(lambda s: setattr(launches_db.get(s, launch['id']),
                                      'owner', 'someone-else'))
        owner.runner.wait(launch['id'], WAIT)
        self.assertEqual([], owner.runner._running_drivers())
        polls = [s.polls for s in nova.servers.values()]
        threading.Event().wait(0.1)
        self.assertEqual(polls, [s.polls for s in nova.servers.values()])


class DatabaseOutageTest(LaunchTestCase):

    def test_a_state_change_waits_for_the_database_to_come_back(self):
        cloud = fake_clouds.FakeCloud('a', fake_clouds.FakeNova(limit=5))
        core = self.core(cloud)
        real_run = self.db.run
        outage = {'left': 3}

        def flaky_run(func, *args, **kwargs):
            if func.__name__ == 'transition' and outage['left']:
                outage['left'] -= 1
                raise exception.DatabaseUnavailable(reason='gone away')
            return real_run(func, *args, **kwargs)

        self.db.run = flaky_run
        self.addCleanup(setattr, self.db, 'run', real_run)
        launch_module_delay = launcher_mod.DB_RETRY_INTERVAL
        launcher_mod.DB_RETRY_INTERVAL = (0.1, 0.3)
        self.addCleanup(setattr, launcher_mod, 'DB_RETRY_INTERVAL',
                        launch_module_delay)
        with self.assertLogs('multios.launcher', 'WARNING') as logs:
            launch = self.launch(core)
        self.assertEqual(0, outage['left'])
        # Each wait twice the last, up to the longest.
        self.assertEqual(['0.1', '0.2', '0.3'],
                         re.findall(r'retrying in ([\d.]+)s',
                                    '\n'.join(logs.output)))
        self.assertEqual('active', launch['status'])
        self.assertEqual(1, cloud.fake.creates)


class ServerListingTest(LaunchTestCase):

    def test_unfinished_launches_show_their_instances_and_tasks(self):
        nova = fake_clouds.FakeNova('hang', limit=5)
        core = self.core(fake_clouds.FakeCloud('a', nova))
        launch = core.launches.accept(CONTEXT, request(2), carry=False)
        nova.create('vm-1', 'img', 'f1', {
            'multios:project_id': 'home-project',
            'multios:user_id': 'home-user',
            'multios:request_id': launch['id']}, 'auto')
        self.db.run(self._record_server, launch['id'], 'vm-1', 'a-srv-1')
        listed = core.launches.list_servers(CONTEXT)
        # Not yet made: the newest, ahead of Nova's servers.
        self.assertEqual(
            [(None, 'vm-2', 'BUILD', launch['id'],
              'launching on a, attempt 1 of 3'),
             ('a-srv-1', 'vm-1', 'BUILD', launch['id'],
              'launching on a, attempt 1 of 3')],
            [(s.id, s.name, s.status, s.launch_id, s.task)
             for s in listed.items])
        other = multios_context.RequestContext('other', 'u')
        self.assertEqual([], [s for s in core.launches.list_servers(
            other).items if s.project_id == 'home-project' and s.id is None])

    def test_a_shown_server_has_its_launch_and_every_attempt(self):
        refusing, ok = self.clouds(('refusing', 'quota', 9),
                                   ('ok', 'active', 5))
        core = self.core(refusing, ok)
        launch = self.launch(core)
        [item] = launch['servers']
        shown = core.launches.get_server(CONTEXT, item['id'])
        self.assertEqual((launch['id'], None), (shown.launch_id, shown.task))
        self.assertEqual([('refusing', 'quota'), ('ok', 'active')],
                         attempts(shown.to_dict()))
        other = fake_clouds.FakeServer('ok-other', 'by-hand', {})
        ok.fake.servers[other.id] = other
        self.assertEqual([], core.launches.get_server(
            CONTEXT, other.id).attempts)

    @staticmethod
    def _record_server(session, launch_id, name, server_id):
        for instance in launches_db.get(session, launch_id).instances:
            if instance.name == name:
                instance.state = states.BUILDING
                instance.server_id = instance.attempts[-1].server_id = \
                    server_id


class ClassifyTest(unittest.TestCase):

    def test_errors(self):
        cases = [
            (nova_exc.Forbidden(403, 'Quota exceeded'), 'quota'),
            (nova_exc.OverLimit(413, 'over'), 'quota'),
            (exception.CloudUnavailable(name='a', reason='cannot connect'),
             'unavailable'),
            (nova_exc.BadRequest(400, 'bad flavor'), 'refused'),
        ]
        for error, outcome in cases:
            self.assertEqual(outcome, launcher_mod.classify(error)[0])

    def test_fault_mentioning_quota_is_a_quota_refusal(self):
        self.assertEqual('quota', launcher_mod.fault_outcome(
            'Quota exceeded for cores: Requested 1, but already used 4'))
        self.assertEqual('error', launcher_mod.fault_outcome(
            'No valid host was found.'))
