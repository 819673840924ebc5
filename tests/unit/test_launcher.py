"""Launcher: failover, deletion of what failed, --count and leak cleanup.

The clouds are small in-memory Novas (``FakeNova``) behind the real
``Health`` circuit breaker, the real ``Placement`` and a federation that
calls them one after another. Time is a fake clock that ``sleep`` moves.
"""

import datetime
import os
import tempfile
import unittest

from novaclient import exceptions as nova_exc
from oslo_config import cfg

from multios import clouds as multios_clouds
from multios import conf as multios_conf
from multios import context as multios_context
from multios import exception
from multios import federation as federation_mod
from multios import launcher as launcher_mod
from multios import placement as placement_mod
from multios.placement import model
from tests.unit import fake_federation

CONTEXT = multios_context.RequestContext('home-project', 'home-user')
FLAVOR = type('Flavor', (), dict(id='f1', name='m1.tiny', vcpus=1, ram=512,
                                 disk=1))


class FakeClock:

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


class FakeServer:

    def __init__(self, id, name, meta, created):
        self.id = id
        self.name = name
        self.metadata = dict(meta)
        self.status = 'BUILD'
        self.fault = None
        self.created = created
        self.polls = 0


class FakeNova:
    """Servers of one cloud; ``behaviour`` says how a boot ends.

    ``active`` (after two polls), ``error`` (NoValidHost fault), ``hang``
    (BUILD forever), ``quota`` (403 at create), ``down`` (create cannot
    connect), ``lost`` (the server is made but create gets no answer),
    ``undeletable`` (ERROR, and delete cannot connect).
    """

    def __init__(self, behaviour='active', limit=10):
        self.behaviour = behaviour
        self.limit = limit
        self.servers = {}
        self.deleted = []
        self.servers_api = self
        self._next = 0

    # novaclient's nova.servers
    def create(self, name, image, flavor, meta, nics):
        if self.behaviour == 'down':
            raise exception.CloudUnavailable(name='x', reason='cannot connect')
        if self.behaviour == 'quota' or len(self.servers) >= self.limit:
            raise nova_exc.Forbidden(403, 'Quota exceeded for instances')
        self._next += 1
        server = FakeServer('srv-%d' % self._next, name, meta,
                            '2026-01-01T00:00:00Z')
        self.servers[server.id] = server
        if self.behaviour == 'lost':
            server.status = 'ACTIVE'
            raise exception.CloudUnavailable(name='x',
                                             reason='no answer within 2s')
        return server

    def get(self, server_id):
        server = self.servers.get(server_id)
        if server is None:
            raise nova_exc.NotFound(404)
        server.polls += 1
        if server.status == 'BUILD':
            if self.behaviour in ('error', 'undeletable'):
                server.status = 'ERROR'
                server.fault = {'message': 'No valid host was found. '}
            elif self.behaviour == 'active' and server.polls >= 2:
                server.status = 'ACTIVE'
        return server

    def delete(self, server_id):
        if self.behaviour == 'undeletable':
            raise exception.CloudUnavailable(name='x', reason='cannot connect')
        if self.servers.pop(server_id, None) is None:
            raise nova_exc.NotFound(404)
        self.deleted.append(server_id)


class FakeFederation(fake_federation.FakeFederation):

    def list_servers(self, context, all_tenants=False, cloud=None):
        return federation_mod.Result(items=[
            federation_mod.Server.from_nova(c.name, s)
            for c in self.clouds() for s in c.fake.servers.values()])


class FakeCloud:

    def __init__(self, name, nova, weight=1.0, enabled=True):
        self.name = name
        self.weight = weight
        self.enabled = enabled
        self.draining = False
        self.health = multios_clouds.Health(3, 30)
        self.fake = nova
        self.nova = type('Nova', (), {'servers': nova})
        self.usage_reads = 0

    def call(self, func, *args, **kwargs):
        return func(*args, **kwargs)

    def flavors(self):
        return [FLAVOR]

    def images(self):
        return [{'id': 'img', 'name': 'cirros', 'status': 'ACTIVE'}]

    def usage(self):
        self.usage_reads += 1
        return {'instances': {'used': len(self.fake.servers),
                              'limit': self.fake.limit},
                'cores': {'used': 0, 'limit': -1},
                'ram': {'used': 0, 'limit': -1}}

    def delete_server(self, server_id):
        self.fake.delete(server_id)


def make_conf(**placement):
    conf = cfg.ConfigOpts()
    multios_conf.register_opts(conf)
    conf([])
    values = dict(strategy='spread', max_attempts=3, launch_timeout=30,
                  quota_cache_ttl=60)
    values.update(placement)
    for name, value in values.items():
        conf.set_override(name, value, group='placement')
    return conf


class LauncherTestCase(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.clock = FakeClock()
        self.lines = []

    def launcher(self, *clouds, **placement):
        conf = make_conf(**placement)
        self.federation = FakeFederation(*clouds)
        self.placement = placement_mod.Placement(self.federation, conf,
                                                 clock=self.clock)
        leak_dir = tempfile.TemporaryDirectory()
        self.addCleanup(leak_dir.cleanup)
        return launcher_mod.Launcher(
            self.federation, self.placement, conf,
            leak_file=os.path.join(leak_dir.name, 'leaks.json'),
            clock=self.clock, sleep=self.clock.sleep)

    def launch(self, launcher, count=1, **kwargs):
        request = placement_mod.LaunchRequest('vm', 'm1.tiny', 'cirros',
                                              count=count, **kwargs)
        return launcher.launch(CONTEXT, request, self.lines.append)


class LaunchTest(LauncherTestCase):

    def test_active_on_the_best_cloud_with_owner_metadata(self):
        small, big = FakeNova(limit=2), FakeNova(limit=8)
        launcher = self.launcher(FakeCloud('small', small),
                                 FakeCloud('big', big))
        [launch] = self.launch(launcher)
        self.assertEqual('big', launch.cloud)
        self.assertEqual('ACTIVE', launch.server.status)
        self.assertEqual([('big', 'active')],
                         [(a.cloud, a.outcome) for a in launch.attempts])
        server = big.servers[launch.server.id]
        self.assertEqual({'multios:project_id': 'home-project',
                          'multios:user_id': 'home-user',
                          'multios:request_id': CONTEXT.request_id},
                         server.metadata)
        self.assertTrue(CONTEXT.request_id.startswith('req-'))
        self.assertIn('vm: ACTIVE on big', self.lines)

    def test_quota_refusal_fails_over_and_drops_the_quota_cache(self):
        refusing = FakeCloud('refusing', FakeNova('quota', limit=9))
        launcher = self.launcher(refusing, FakeCloud('ok', FakeNova(limit=5)))
        [launch] = self.launch(launcher)
        self.assertEqual([('refusing', 'quota'), ('ok', 'active')],
                         [(a.cloud, a.outcome) for a in launch.attempts])
        self.assertIn('Quota exceeded', launch.attempts[0].reason)
        self.assertIsNone(self.placement.quota_cache.get('refusing'))

    def test_error_server_is_deleted_and_gone_before_failover(self):
        broken = FakeNova('error', limit=9)
        launcher = self.launcher(FakeCloud('broken', broken),
                                 FakeCloud('ok', FakeNova(limit=5)))
        [launch] = self.launch(launcher)
        self.assertEqual('ok', launch.cloud)
        self.assertEqual(('error', 'ERROR: No valid host was found.'),
                         (launch.attempts[0].outcome,
                          launch.attempts[0].reason))
        self.assertEqual(['srv-1'], broken.deleted)
        self.assertEqual({}, broken.servers)
        self.assertEqual(
            1, self.federation.cloud('broken').health.consecutive_failures)

    def test_timeout_deletes_and_fails_over(self):
        hung = FakeNova('hang', limit=9)
        launcher = self.launcher(FakeCloud('hung', hung),
                                 FakeCloud('ok', FakeNova(limit=5)),
                                 launch_timeout=20)
        [launch] = self.launch(launcher)
        self.assertEqual(('timeout', 'not ACTIVE within 20s (still BUILD)'),
                         (launch.attempts[0].outcome,
                          launch.attempts[0].reason))
        self.assertEqual(['srv-1'], hung.deleted)
        self.assertEqual('ok', launch.cloud)

    def test_unreachable_cloud_fails_over(self):
        launcher = self.launcher(FakeCloud('down', FakeNova('down', 9)),
                                 FakeCloud('ok', FakeNova(limit=5)))
        [launch] = self.launch(launcher)
        self.assertEqual([('down', 'unavailable'), ('ok', 'active')],
                         [(a.cloud, a.outcome) for a in launch.attempts])

    def test_every_attempt_failing_raises_with_each_reason(self):
        clouds = [FakeCloud('a', FakeNova('quota', 9)),
                  FakeCloud('b', FakeNova('error', 8)),
                  FakeCloud('c', FakeNova('down', 7))]
        launcher = self.launcher(*clouds)
        with self.assertRaises(exception.LaunchFailed) as caught:
            self.launch(launcher)
        self.assertEqual([('a', 'quota'), ('b', 'error'), ('c', 'unavailable')],
                         [(a.cloud, a.outcome)
                          for a in caught.exception.attempts])
        self.assertIn('b: ERROR: No valid host', str(caught.exception))
        self.assertEqual([], caught.exception.launches)
        self.assertEqual({}, clouds[1].fake.servers)

    def test_max_attempts_bounds_the_clouds_tried(self):
        clouds = [FakeCloud(n, FakeNova('error', 9 - i))
                  for i, n in enumerate('abc')]
        launcher = self.launcher(*clouds, max_attempts=2)
        with self.assertRaises(exception.LaunchFailed) as caught:
            self.launch(launcher)
        self.assertEqual(['a', 'b'],
                         [a.cloud for a in caught.exception.attempts])

    def test_server_that_cannot_be_deleted_is_left_for_cleanup(self):
        stuck = FakeNova('undeletable', 9)
        launcher = self.launcher(FakeCloud('stuck', stuck),
                                 FakeCloud('ok', FakeNova(limit=5)))
        [launch] = self.launch(launcher)
        self.assertEqual('ok', launch.cloud)
        self.assertIn('vm: stuck may have left a server, for cleanup: '
                      'cannot connect', self.lines)
        stuck.behaviour = 'active'
        launcher.cleanup()
        self.assertEqual(['srv-1'], [s.id for s in launcher.cleanup()])

    def test_server_created_without_an_answer_is_cleaned_even_active(self):
        lost = FakeNova('lost', 9)
        ok = FakeNova(limit=5)
        launcher = self.launcher(FakeCloud('lost', lost), FakeCloud('ok', ok))
        [launch] = self.launch(launcher)
        self.assertEqual([('lost', 'unavailable'), ('ok', 'active')],
                         [(a.cloud, a.outcome) for a in launch.attempts])
        self.assertEqual(['ACTIVE'], [s.status for s in lost.servers.values()])
        self.assertEqual([], launcher.cleanup())
        self.assertEqual([('lost', 'srv-1')],
                         [(s.cloud, s.id) for s in launcher.cleanup()])
        self.assertEqual({}, lost.servers)
        self.assertEqual(1, len(ok.servers))

    def test_count_fills_quotas_exactly(self):
        novas = [FakeNova(limit=n) for n in (2, 4, 6)]
        launcher = self.launcher(*[FakeCloud(n, nova) for n, nova
                                   in zip(('a', 'b', 'c'), novas)])
        launches = self.launch(launcher, count=12)
        self.assertEqual(12, len(launches))
        self.assertEqual([2, 4, 6], [len(n.servers) for n in novas])
        self.assertEqual(['vm-%d' % i for i in range(1, 13)],
                         [launch.server.name for launch in launches])

    def test_failover_counts_the_other_instances_in_flight(self):
        novas = [FakeNova('error', 1), FakeNova(limit=1), FakeNova(limit=1)]
        launcher = self.launcher(*[FakeCloud(n, nova) for n, nova
                                   in zip(('a', 'b', 'c'), novas)])
        first, second = self.launch(launcher, count=2)
        # b was planned for vm-2, so vm-1 fails over from a to c, not to b
        # where Nova would refuse it for quota.
        self.assertEqual([('a', 'error'), ('c', 'active')],
                         [(a.cloud, a.outcome) for a in first.attempts])
        self.assertEqual([('b', 'active')],
                         [(a.cloud, a.outcome) for a in second.attempts])

    def test_count_beyond_quota_launches_nothing(self):
        novas = [FakeNova(limit=n) for n in (1, 2)]
        launcher = self.launcher(FakeCloud('a', novas[0]),
                                 FakeCloud('b', novas[1]))
        with self.assertRaises(exception.NoValidCloud) as caught:
            self.launch(launcher, count=4)
        self.assertIn('only 3 of 4 instances fit', str(caught.exception))
        self.assertEqual([0, 0], [len(n.servers) for n in novas])

    def test_launch_drops_the_quota_cache_of_the_clouds_used(self):
        launcher = self.launcher(FakeCloud('a', FakeNova(limit=1)),
                                 FakeCloud('b', FakeNova(limit=1)))
        self.launch(launcher, count=2)
        with self.assertRaises(exception.NoValidCloud) as caught:
            self.launch(launcher)
        self.assertEqual(
            ['quota exceeded for instances: 1 needed, 0 free'] * 2,
            [r.reason for r in caught.exception.rejections])

    def test_pinned_cloud_unknown(self):
        launcher = self.launcher(FakeCloud('a', FakeNova()))
        self.assertRaises(exception.CloudNotFound,
                          self.launch, launcher, cloud='nowhere')


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


class CleanupTest(LauncherTestCase):

    def setUp(self):
        super().setUp()
        self.nova = FakeNova(limit=20)
        self.launcher_ = self.launcher(FakeCloud('a', self.nova))

    def add(self, status, meta=True, age=3600):
        created = (datetime.datetime.now(datetime.timezone.utc) -
                   datetime.timedelta(seconds=age))
        metadata = {'multios:project_id': 'p', 'multios:user_id': 'u',
                    'multios:request_id': 'req-old'} if meta else {}
        server = self.nova.create('x', 'img', 'f1', metadata, 'auto')
        server.status = status
        server.created = created.strftime('%Y-%m-%dT%H:%M:%SZ')
        return server.id

    def test_leak_is_deleted_on_the_second_pass_only(self):
        error = self.add('ERROR')
        self.assertEqual([], self.launcher_.cleanup())
        self.assertIn(error, self.nova.servers)
        self.assertEqual([error],
                         [s.id for s in self.launcher_.cleanup()])
        self.assertNotIn(error, self.nova.servers)

    def test_only_failed_or_abandoned_launches_are_leaks(self):
        kept = [self.add('ACTIVE'), self.add('SHUTOFF'),
                self.add('ERROR', meta=False), self.add('BUILD', age=5)]
        abandoned = self.add('BUILD', age=3600)
        self.launcher_.cleanup()
        deleted = self.launcher_.cleanup()
        self.assertEqual([abandoned], [s.id for s in deleted])
        self.assertEqual(sorted(kept), sorted(self.nova.servers))

    def test_launch_in_progress_is_not_a_leak(self):
        error = self.add('ERROR')
        self.launcher_._running.add('req-old')
        self.launcher_.cleanup()
        self.assertEqual([], self.launcher_.cleanup())
        self.assertIn(error, self.nova.servers)

    def test_sightings_survive_a_new_process(self):
        error = self.add('ERROR')
        self.launcher_.cleanup()
        again = launcher_mod.Launcher(self.federation, self.placement,
                                      self.launcher_.conf,
                                      leak_file=self.launcher_.leaks.path)
        self.assertEqual([error], [s.id for s in again.cleanup()])

    def test_unreadable_leak_file_starts_afresh(self):
        error = self.add('ERROR')
        with open(self.launcher_.leaks.path, 'w') as f:
            f.write('{not json')
        self.assertEqual([], self.launcher_.cleanup())
        self.assertEqual([error], [s.id for s in self.launcher_.cleanup()])


class UsageTest(unittest.TestCase):

    def test_reservations_add_and_remove(self):
        usage = model.Usage()
        usage.add('a', {'instances': 1, 'cores': 2, 'ram': 512})
        usage.add('a', {'instances': 1, 'cores': 2, 'ram': 512})
        usage.remove('a', {'instances': 1, 'cores': 2, 'ram': 512})
        self.assertEqual({'a': {'instances': 1, 'cores': 2, 'ram': 512}},
                         usage)
