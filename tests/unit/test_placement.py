# SPDX-License-Identifier: Apache-2.0
"""Placement: filters, weighers, strategies and the facts they read."""

import dataclasses
import datetime
import json
import unittest

from oslo_db import exception as db_exc
from oslo_utils import timeutils

from multios import clouds as multios_clouds
from multios import context as multios_context
from multios.db import models
from multios.db import quota as quota_db
from multios import exception
from multios.launches import service
from multios.placement import engine
from multios.placement import filters
from multios.placement import manager
from multios.placement import model
from multios.placement import quota
from multios.placement import weighers
from tests.unit import db_helpers
from tests.unit import fake_federation

TINY = model.Flavor('f-tiny', 'm1.tiny', 1, 512, 1)
SMALL = model.Flavor('f-small', 'm1.small', 1, 2048, 20)
CIRROS = model.Image('i-cirros', 'cirros')


def facts(name, instances=10, used=0, cores=(20, 0), ram=(51200, 0),
          flavors=(TINY, SMALL), images=(CIRROS,), **kwargs):
    return model.CloudFacts(
        name, flavors=flavors, images=images,
        limits={'instances': (instances, used), 'cores': cores, 'ram': ram},
        **kwargs)


def request(**kwargs):
    values = dict(name='vm', flavor='m1.tiny', image='cirros')
    values.update(kwargs)
    return model.LaunchRequest(**values)


def spec(clouds, req=None, **kwargs):
    return filters.PlacementSpec.build(clouds, req or request(), **kwargs)


def reason(cloud_filter, cloud, req=None, **kwargs):
    """What ``cloud_filter`` says of ``cloud`` alone."""
    return cloud_filter.reject_reason(cloud, spec([cloud], req, **kwargs))


class FilterTest(unittest.TestCase):

    def test_pinned_cloud_rejects_the_others(self):
        f = filters.PinnedCloudFilter()
        req = request(cloud='beta')
        self.assertIsNone(reason(f, facts('beta'), req))
        self.assertEqual('not the requested cloud beta',
                         reason(f, facts('alpha'), req))

    def test_excluded_cloud_is_rejected(self):
        f = filters.ExcludedCloudFilter()
        tried = frozenset(['alpha'])
        self.assertEqual('already failed for this instance',
                         reason(f, facts('alpha'), exclude=tried))
        self.assertIsNone(reason(f, facts('beta'), exclude=tried))

    def test_disabled_cloud_is_rejected(self):
        f = filters.EnabledFilter()
        self.assertEqual('disabled by the operator',
                         reason(f, facts('a', enabled=False)))
        self.assertIsNone(reason(f, facts('a')))

    def test_draining_cloud_is_rejected(self):
        f = filters.DrainingFilter()
        self.assertEqual('draining: takes no new launches',
                         reason(f, facts('a', draining=True)))
        self.assertIsNone(reason(f, facts('a')))

    def test_unhealthy_cloud_is_rejected_with_its_state(self):
        f = filters.HealthFilter()
        sick = facts('a', healthy=False, state_reason='circuit open')
        self.assertEqual('unhealthy: circuit open',
                         reason(f, sick))
        self.assertIsNone(reason(f, facts('a')))

    def test_flavor_by_name_or_id(self):
        f = filters.FlavorFilter()
        self.assertIsNone(reason(f, facts('a')))
        self.assertIsNone(
            reason(f, facts('a'), request(flavor='f-small')))
        self.assertEqual(
            'no flavor m1.huge',
            reason(f, facts('a'), request(flavor='m1.huge')))

    def test_flavor_by_size_when_the_name_is_unknown(self):
        f = filters.FlavorFilter()
        same_size = model.Flavor('x', 'tiny-by-another-name', 1, 512, 1)
        other = facts('b', flavors=(same_size,))
        self.assertIsNone(reason(f, other, size=TINY.size))
        self.assertEqual('x', other.find_flavor('m1.tiny', TINY.size).id)
        self.assertEqual(
            'no flavor m1.tiny nor one of 1 vcpus, 2048 MB RAM, 20 GB disk',
            reason(f, other, size=SMALL.size))

    def test_image_by_name_or_id_and_ambiguous_name(self):
        f = filters.ImageFilter()
        self.assertIsNone(reason(f, facts('a')))
        self.assertIsNone(
            reason(f, facts('a'), request(image='i-cirros')))
        twins = facts('a', images=(CIRROS, model.Image('i-2', 'cirros')))
        self.assertEqual('more than one image is named cirros: give its id',
                         reason(f, twins))
        self.assertEqual('no image fedora',
                         reason(f, facts('a'), request(image='fedora')))

    def test_security_groups_must_all_be_there(self):
        f = filters.SecurityGroupFilter()
        cloud = facts('a', security_groups=frozenset(['default', 'web']))
        self.assertIsNone(reason(f, cloud, request(
            security_groups=('web', 'default'))))
        self.assertEqual('no security group db', reason(
            f, cloud, request(security_groups=('web', 'db'))))
        self.assertEqual('no security group db, ssh', reason(
            f, cloud, request(security_groups=('db', 'ssh'))))
        # None asked for: the cloud's "default", as Nova does.
        self.assertIsNone(reason(f, facts('a')))

    def test_networks_by_name_or_by_the_cloud_s_alias(self):
        f = filters.NetworkFilter()
        cloud = facts('a', networks={'private': ('n1',), 'ext-net': ('n2',),
                                     'twin': ('n3', 'n4')},
                      network_aliases={'public': 'ext-net'})
        self.assertIsNone(reason(f, cloud, request(
            networks=('private', 'public'))))
        self.assertEqual(['n1', 'n2'], engine.rank(
            [cloud], request(networks=('private', 'public')),
            'spread').best.networks)
        self.assertEqual('no network lan', reason(
            f, cloud, request(networks=('private', 'lan'))))
        self.assertEqual('no network public (ext-net here)', reason(
            f, facts('b', networks={}, network_aliases={'public': 'ext-net'}),
            request(networks=('public',))))
        self.assertEqual('more than one network is named twin', reason(
            f, cloud, request(networks=('twin',))))
        # None asked for: Nova's "auto".
        self.assertIsNone(reason(f, facts('a')))
        self.assertIsNone(engine.rank([facts('a')], request(),
                                      'spread').best.networks)

    def test_availability_zone_when_asked(self):
        f = filters.AvailabilityZoneFilter()
        cloud = facts('a', availability_zones=frozenset(['nova', 'az2']))
        self.assertIsNone(reason(f, cloud, request(availability_zone='az2')))
        self.assertEqual('no availability zone az9', reason(
            f, cloud, request(availability_zone='az9')))
        self.assertIsNone(reason(f, facts('a')))

    def test_quota_counts_usage_and_reserved(self):
        f = filters.QuotaFilter()
        self.assertIsNone(reason(f, facts('a', 2, used=1)))
        self.assertEqual(
            'quota exceeded for instances: 1 needed, 0 free',
            reason(f, facts('a', 2, used=2)))
        reserved = model.Usage()
        reserved.add('a', TINY.usage)
        self.assertEqual(
            'quota exceeded for instances: 1 needed, 0 free',
            reason(f, facts('a', 2, used=1), reserved=reserved))

    def test_quota_on_cores_and_ram(self):
        f = filters.QuotaFilter()
        self.assertEqual(
            'quota exceeded for cores: 1 needed, 0 free',
            reason(f, facts('a', cores=(4, 4))))
        self.assertEqual(
            'quota exceeded for ram: 2048 needed, 1024 free',
            reason(f, facts('a', ram=(2048, 1024)),
                   request(flavor='m1.small')))

    def test_unlimited_quota_fits(self):
        f = filters.QuotaFilter()
        cloud = facts('a', -1, used=500, cores=(-1, 99), ram=(-1, 1))
        self.assertIsNone(reason(f, cloud))

    def test_unknown_quota_is_rejected_with_the_reason(self):
        cloud = model.CloudFacts('a', flavors=(TINY,), images=(CIRROS,),
                                 limits_error='connection refused')
        self.assertEqual('quota unknown: connection refused',
                         reason(filters.QuotaFilter(), cloud))

    def test_free_quota_counts_usage_and_reserved_of_every_resource(self):
        f = filters.QuotaFilter()
        reserved = model.Usage()
        reserved.add('a', {'instances': 3, 'cores': 5, 'ram': 1024})
        self.assertEqual(
            'quota exceeded for instances: 1 needed, 0 free',
            reason(f, facts('a', 5, used=2), reserved=reserved))
        self.assertIsNone(reason(f, facts('a', 6, used=2),
                                 reserved=reserved))
        self.assertEqual(
            'quota exceeded for cores: 1 needed, 0 free',
            reason(f, facts('a', cores=(7, 2)), reserved=reserved))
        self.assertEqual(
            'quota exceeded for ram: 2048 needed, 1024 free',
            reason(f, facts('a', ram=(4096, 2048)), request(
                flavor='m1.small'), reserved=reserved))

    def test_a_zero_limit_takes_nothing_and_over_use_is_zero_free(self):
        f = filters.QuotaFilter()
        self.assertEqual('quota exceeded for instances: 1 needed, 0 free',
                         reason(f, facts('a', 0)))
        self.assertEqual('quota exceeded for instances: 1 needed, 0 free',
                         reason(f, facts('a', 2, used=5)))

    def test_a_pinned_cloud_is_compared_by_name_not_identity(self):
        pinned = ''.join(['a', 'b'])  # equal to 'ab', another object
        self.assertIsNone(reason(filters.PinnedCloudFilter(), facts('ab'),
                                 request(cloud=pinned)))

    def test_an_alias_is_named_in_the_reason(self):
        cloud = facts('a', networks={'private': ('n1',)},
                      network_aliases={'lan': 'private'})
        self.assertIsNone(reason(filters.NetworkFilter(), cloud,
                                 request(networks=('lan',))))
        missing = facts('a', networks={}, network_aliases={'lan': 'private'})
        self.assertEqual('no network lan (private here)',
                         reason(filters.NetworkFilter(), missing,
                                request(networks=('lan',))))


class FractionLeftTest(unittest.TestCase):

    def test_the_scarcest_limited_resource_counts(self):
        cloud = facts('a', 10, used=4, cores=(-1, 50), ram=(1000, 600))
        self.assertEqual(0.25, cloud.fraction_left(
            {'instances': 1, 'cores': 1, 'ram': 150}))

    def test_a_limit_of_one_and_full_clouds(self):
        self.assertEqual(0.0, facts('a', 1, used=0).fraction_left(
            TINY.usage))
        self.assertEqual(0.0, facts('a', 2, used=5).fraction_left(
            TINY.usage))
        self.assertEqual(1.0, facts('a', -1, cores=(-1, 0),
                                    ram=(-1, 0)).fraction_left(TINY.usage))
        self.assertEqual(0.5, facts('a', 4, used=1).fraction_left(
            TINY.usage))


class NormalizeTest(unittest.TestCase):

    def test_scales_between_min_and_max(self):
        self.assertEqual([0.0, 0.5, 1.0], weighers.normalize([2, 4, 6]))

    def test_equal_values_are_zero(self):
        self.assertEqual([0.0, 0.0], weighers.normalize([3, 3]))

    def test_fixed_bounds(self):
        self.assertEqual([0.25, 1.0],
                         weighers.normalize([0.25, 1.0], 0.0, 1.0))

    def test_values_beyond_fixed_bounds_are_clamped(self):
        self.assertEqual([0.0, 0.0, 0.5, 1.0, 1.0],
                         weighers.normalize([-500, 0, 500, 1000, 2000],
                                            0.0, 1000.0))

    def test_one_fixed_bound_and_the_other_from_the_values(self):
        self.assertEqual([0.0, 0.25, 1.0],
                         weighers.normalize([-2, 1, 10], minval=-2.0))
        self.assertEqual([0.0, 0.5, 1.0],
                         weighers.normalize([2, 4, 10], maxval=6.0))


class WeigherTest(unittest.TestCase):

    def _weigh(self, weigher, clouds, strategy='spread'):
        return [parts[weigher.name] for _, parts in weighers.weigh(
            [weigher], clouds, spec(clouds), strategy)]

    def test_free_quota_is_the_fraction_left_after_the_instance(self):
        clouds = [facts('a', 4, used=1), facts('b', 10, used=0)]
        self.assertEqual([0.5, 0.9],
                         self._weigh(weighers.FreeQuotaWeigher(), clouds))

    def test_free_quota_takes_the_scarcest_resource(self):
        cloud = facts('a', 10, used=0, cores=(4, 2))
        self.assertEqual([0.25],
                         self._weigh(weighers.FreeQuotaWeigher(), [cloud]))

    def test_pack_reverses_free_quota_and_round_robin_ignores_it(self):
        clouds = [facts('a', 4, used=1)]
        weigher = weighers.FreeQuotaWeigher()
        self.assertEqual([-0.5], self._weigh(weigher, clouds, 'pack'))
        self.assertEqual([0.0], self._weigh(weigher, clouds, 'round_robin'))

    def test_operator_weight_relative_to_the_highest(self):
        clouds = [facts('a', weight=1.0), facts('b', weight=4.0)]
        self.assertEqual([0.25, 1.0],
                         self._weigh(weighers.OperatorWeigher(), clouds))

    def test_failures_push_down_up_to_three(self):
        clouds = [facts('a', recent_failures=6), facts('b', recent_failures=1),
                  facts('c')]
        self.assertEqual([-1.0, -1 / 3, 0.0],
                         self._weigh(weighers.FailureWeigher(), clouds))

    def test_latency_on_a_fixed_scale_and_unknown_is_the_slowest(self):
        clouds = [facts('a', latency_ms=10.0), facts('b', latency_ms=500.0),
                  facts('c'), facts('d', latency_ms=3000.0)]
        self.assertEqual([-0.005, -0.25, -0.5, -0.5],
                         self._weigh(weighers.LatencyWeigher(), clouds))

    def test_close_latencies_do_not_beat_free_quota(self):
        clouds = [facts('a', 4, latency_ms=20.0),
                  facts('b', 6, latency_ms=40.0)]
        ranking = engine.rank(clouds, request(), 'spread')
        self.assertEqual(['b', 'a'], [c.cloud for c in ranking.ranked])


class RankTest(unittest.TestCase):

    def test_spread_ranks_most_free_first_with_scores(self):
        clouds = [facts('a', 2), facts('b', 4), facts('c', 6)]
        ranking = engine.rank(clouds, request(), 'spread')
        self.assertEqual(['c', 'b', 'a'], [c.cloud for c in ranking.ranked])
        self.assertAlmostEqual(5 / 6 + 1, ranking.best.score)
        self.assertEqual(('f-tiny', 'i-cirros'),
                         (ranking.best.flavor, ranking.best.image))
        self.assertEqual([], ranking.rejected)

    def test_pack_ranks_least_free_first(self):
        clouds = [facts('a', 2), facts('b', 4), facts('c', 6)]
        ranking = engine.rank(clouds, request(), 'pack')
        self.assertEqual(['a', 'b', 'c'], [c.cloud for c in ranking.ranked])

    def test_every_rejected_cloud_has_its_reason(self):
        clouds = [facts('a', 1, used=1), facts('b', enabled=False),
                  facts('c', images=())]
        ranking = engine.rank(clouds, request(), 'spread')
        self.assertEqual([], ranking.ranked)
        self.assertEqual(
            {'a': 'quota exceeded for instances: 1 needed, 0 free',
             'b': 'disabled by the operator',
             'c': 'no image cirros'},
            {r.cloud: r.reason for r in ranking.rejected})

    def test_flavor_known_elsewhere_is_matched_by_size(self):
        renamed = model.Flavor('r', 'tiny', 1, 512, 1)
        clouds = [facts('a'), facts('b', 20, flavors=(renamed,))]
        ranking = engine.rank(clouds, request(), 'spread')
        self.assertEqual(('b', 'r'),
                         (ranking.best.cloud, ranking.best.flavor))

    def test_round_robin_turns_through_configured_order(self):
        clouds = [facts('a', 2), facts('b', 4), facts('c', 6)]
        first = [engine.rank(clouds, request(), 'round_robin', last=last).best
                 for last in (None, 'a', 'b', 'c')]
        self.assertEqual(['a', 'b', 'c', 'a'], [c.cloud for c in first])

    def test_round_robin_wraps_around_after_the_last_cloud(self):
        clouds = [facts(name) for name in 'abcde']
        ranking = engine.rank(clouds, request(), 'round_robin', last='c')
        self.assertEqual(['d', 'e', 'a', 'b', 'c'],
                         [c.cloud for c in ranking.ranked])

    def test_round_robin_skips_a_rejected_cloud(self):
        clouds = [facts('a'), facts('b', healthy=False), facts('c')]
        ranking = engine.rank(clouds, request(), 'round_robin', last='a')
        self.assertEqual(['c', 'a'], [c.cloud for c in ranking.ranked])

    def test_to_dict_is_plain_data(self):
        ranking = engine.plan([facts('a'), facts('b', healthy=False)],
                              request(), 'spread')
        self.assertEqual(
            {'strategy': 'spread',
             'ranked': [{'cloud': 'a', 'score': 1.9,
                         'weights': {'free_quota': 0.9, 'operator': 1.0,
                                     'failures': 0.0, 'latency': 0.0},
                         'flavor': 'f-tiny', 'image': 'i-cirros',
                         'networks': None}],
             'rejected': [{'cloud': 'b',
                           'reason': 'unhealthy: unknown reason'}],
             'plan': ['a'], 'unplaced': []},
            ranking.to_dict())


class PlanTest(unittest.TestCase):

    def test_count_fills_each_quota_exactly(self):
        clouds = [facts('a', 2), facts('b', 4), facts('c', 6)]
        ranking = engine.plan(clouds, request(count=13), 'spread')
        chosen = [c.cloud for c in ranking.plan]
        self.assertEqual({'a': 2, 'b': 4, 'c': 6},
                         {n: chosen.count(n) for n in 'abc'})
        self.assertEqual(
            ['quota exceeded for instances: 1 needed, 0 free'] * 3,
            [r.reason for r in ranking.unplaced])

    def test_pack_fills_the_fullest_cloud_first(self):
        clouds = [facts('a', 2), facts('b', 4), facts('c', 6)]
        ranking = engine.plan(clouds, request(count=4), 'pack')
        self.assertEqual(['a', 'a', 'b', 'b'], ranking.to_dict()['plan'])

    def test_nothing_placed_says_why_for_every_cloud(self):
        clouds = [facts('a'), facts('b')]
        ranking = engine.plan(clouds, request(image='nope', count=2), 'spread')
        self.assertEqual([], ranking.plan)
        self.assertEqual([{'cloud': 'a', 'reason': 'no image nope'},
                          {'cloud': 'b', 'reason': 'no image nope'}],
                         ranking.to_dict()['unplaced'])

    def test_round_robin_plan(self):
        clouds = [facts('a', 1), facts('b', 4), facts('c', 6)]
        ranking = engine.plan(clouds, request(count=5), 'round_robin')
        self.assertEqual(['a', 'b', 'c', 'b', 'c'], ranking.to_dict()['plan'])


class FakeCloud:
    """What facts.gather reads of a multios.clouds.Cloud."""

    def __init__(self, name, enabled=True, broken=None, limits_broken=False,
                 draining=False):
        self.name = name
        self.enabled = enabled
        self.draining = draining
        self.weight = 2.0
        self.network_aliases = {}
        self.asked = []
        self.health = multios_clouds.Health(3, 30)
        self.health.success(0.05)
        self.broken = broken
        self.limits_broken = limits_broken
        self.reads = 0

    def flavors(self):
        if self.broken:
            raise exception.CloudUnavailable(name=self.name,
                                             reason=self.broken)
        return [type('F', (), dict(id='f1', name='m1.tiny', vcpus=1,
                                   ram=512, disk=1))]

    def images(self):
        return [{'id': 'i1', 'name': 'cirros', 'status': 'ACTIVE'},
                {'id': 'i2', 'name': 'queued', 'status': 'SAVING'}]

    def security_groups(self):
        self.asked.append('security_groups')
        return [{'id': 'g1', 'name': 'default'}, {'id': 'g2', 'name': 'web'}]

    def networks(self):
        self.asked.append('networks')
        return [{'id': 'n1', 'name': 'private'},
                {'id': 'n2', 'name': 'private'}, {'id': 'n3', 'name': 'ext'}]

    def availability_zones(self):
        self.asked.append('availability_zones')
        return ['nova']

    def usage(self):
        self.reads += 1
        if self.limits_broken:
            raise exception.CloudUnavailable(name=self.name,
                                             reason='no answer within 2s')
        return {'instances': {'used': 1, 'limit': 4},
                'cores': {'used': 1, 'limit': None},
                'ram': {'used': 512, 'limit': -1}}


class FromUsageTest(unittest.TestCase):

    def test_what_nova_does_not_report_is_unlimited_or_unused(self):
        self.assertEqual(
            {'instances': (10, 0), 'cores': (-1, 3), 'ram': (-1, 0)},
            quota.from_usage({'instances': {'limit': 10},
                              'cores': {'used': 3, 'limit': None}}))


class UsageOnTest(unittest.TestCase):

    def test_the_flavor_of_the_candidates_own_cloud(self):
        big = model.Flavor('f-big', 'm1.tiny', 4, 8192, 1)
        snapshot = [facts('a', flavors=(TINY,)), facts('b', flavors=(big,))]
        candidate = model.Candidate('b', 1.0, {}, 'f-big', 'i-cirros')
        self.assertEqual({'instances': 1, 'cores': 4, 'ram': 8192},
                         manager.usage_on(snapshot, candidate))


class PlacementTest(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = db_helpers.make_conf(
            self, placement={'quota_cache_ttl': 30})
        self.db = db_helpers.make_database(self, self.conf)
        timeutils.set_time_override()
        self.addCleanup(timeutils.clear_time_override)

    def placement(self, *clouds):
        return manager.Placement(fake_federation.FakeFederation(*clouds),
                                 self.db, self.conf)

    def record_launches(self, placement, clouds):
        """Accept one launch pinned to each of ``clouds`` (None: anywhere),
        as the API does, over one snapshot: their reservations are made.
        """
        launches = service.LaunchService(self.db, None, placement, None,
                                         self.conf)
        snapshot = placement.snapshot()
        for cloud in clouds:
            self.db.run(launches.record, multios_context.RequestContext(
                'p', 'u'), request(cloud=cloud), snapshot, 'owner')

    def test_snapshot_reads_every_fact_of_a_cloud(self):
        [cloud] = self.placement(FakeCloud('a')).snapshot()
        self.assertEqual(
            ('a', True, True, 2.0, 50.0, 0),
            (cloud.name, cloud.enabled, cloud.healthy, cloud.weight,
             round(cloud.latency_ms, 3), cloud.recent_failures))
        self.assertEqual(['m1.tiny'], [f.name for f in cloud.flavors])
        self.assertEqual(['cirros'], [i.name for i in cloud.images])
        self.assertEqual({'instances': (4, 1), 'cores': (-1, 1),
                          'ram': (-1, 512)}, cloud.limits)

    def test_limits_are_shared_for_the_ttl_unless_expired(self):
        cloud = FakeCloud('a')
        placement = self.placement(cloud)
        placement.snapshot()
        timeutils.advance_time_seconds(29)
        # Another process on the same database reuses the same read.
        self.placement(cloud).snapshot()
        self.assertEqual(1, cloud.reads)
        timeutils.advance_time_seconds(1)
        placement.snapshot()
        self.assertEqual(2, cloud.reads)
        placement.limits.expire('a')
        placement.snapshot()
        self.assertEqual(3, cloud.reads)

    def test_failing_cloud_is_unhealthy_with_its_reason(self):
        placement = self.placement(
            FakeCloud('down', broken='cannot connect'),
            FakeCloud('slow', limits_broken=True),
            FakeCloud('off', enabled=False),
            FakeCloud('draining', draining=True))
        ranking = placement.rank(model.LaunchRequest('vm', 'm1.tiny',
                                                     'cirros'))
        self.assertEqual(
            [('down', 'unhealthy: cannot connect'),
             ('slow', 'quota unknown: no answer within 2s'),
             ('off', 'disabled by the operator'),
             ('draining', 'draining: takes no new launches')],
            [(r.cloud, r.reason) for r in ranking.rejected])
        self.assertEqual(0, placement.federation.cloud('off').reads)
        self.assertEqual(0, placement.federation.cloud('draining').reads)
        # A cloud that failed is not asked again within the same snapshot.
        self.assertEqual(0, placement.federation.cloud('down').reads)

    def test_a_commit_of_several_instances_moves_on_after_the_last(self):
        self.conf.set_override('strategy', 'round_robin', group='placement')
        placement = self.placement(FakeCloud('a'), FakeCloud('b'),
                                   FakeCloud('c'))
        ranking = placement.rank(request(count=2))
        self.assertEqual(['a', 'b'], [c.cloud for c in ranking.plan])
        placement.commit(ranking)
        self.assertEqual('c', placement.rank(request()).best.cloud)

    def test_counts_above_one_are_valid(self):
        ranking = self.placement(FakeCloud('a')).rank(request(count=3))
        self.assertEqual(3, len(ranking.plan))

    def test_a_missing_field_is_named(self):
        placement = self.placement(FakeCloud('a'))
        with self.assertRaises(exception.Invalid) as caught:
            placement.rank(request(image=''))
        self.assertEqual('Invalid input: image is required',
                         str(caught.exception))

    def test_a_decision_counts_the_database_s_limits_not_the_snapshot_s(
            self):
        placement = self.placement(FakeCloud('a'))
        snapshot = placement.snapshot()
        # Another process read the cloud again since: 4 of 4 used.
        timeutils.advance_time_seconds(1)
        quota_db.store(self.db, 'a', {'instances': (4, 4), 'cores': (-1, 1),
                                      'ram': (-1, 512)},
                       timeutils.utcnow())
        ranking = placement.rank(request(), snapshot)
        self.assertEqual([('a', 'quota exceeded for instances: 1 needed, '
                                '0 free')],
                         [(r.cloud, r.reason) for r in ranking.rejected])

    def test_a_read_ends_only_the_reservations_it_counts(self):
        placement = self.placement(FakeCloud('a'), FakeCloud('b'),
                                   FakeCloud('c'))
        read_at = timeutils.utcnow() + datetime.timedelta(seconds=2)
        # Nova counts b's first, a's and c's from before b's next read,
        # b's second only from after it.
        counted = [('b', -1), ('a', -1), ('c', -1), ('b', 1)]
        self.record_launches(placement, [cloud for cloud, _ in counted])

        def reservations(session):
            return [(r.cloud, r.counted_after) for r in session.query(
                models.Reservation).order_by(models.Reservation.id)]

        def count(session):
            for reservation, (_, seconds) in zip(session.query(
                    models.Reservation).order_by(models.Reservation.id),
                    counted):
                reservation.counted_after = read_at + datetime.timedelta(
                    seconds=seconds)
        self.db.run(count)
        before = self.db.run(reservations)
        quota_db.store(self.db, 'b', {'instances': (4, 2), 'cores': (-1, 2),
                                      'ram': (-1, 1024)}, read_at)
        self.assertEqual(before[1:], self.db.run(reservations))

    def test_reserved_is_what_no_read_of_its_cloud_has_counted(self):
        placement = self.placement(FakeCloud('a'), FakeCloud('b'),
                                   FakeCloud('c'))
        t0 = timeutils.utcnow()  # every cloud read now
        self.record_launches(placement, ('a', 'a', 'b'))
        quota_db.store(self.db, 'b', {'instances': (4, 2)},
                       t0 + datetime.timedelta(seconds=2))

        def count(session):
            a_in_flight, a_counted, b_counted = session.query(
                models.Reservation).order_by(models.Reservation.id)
            # Counted after a's read at t0: that read did not count it.
            a_counted.counted_after = t0 + datetime.timedelta(seconds=1)
            # Marked after b's read was stored, from before it was sent
            # (the two transactions raced): that read counts it.
            b_counted.counted_after = t0 + datetime.timedelta(seconds=1)
        self.db.run(count)
        # An older read of a, stored late, replaces nothing.
        quota_db.store(self.db, 'a', {'instances': (4, 4)},
                       t0 - datetime.timedelta(seconds=1))
        self.assertEqual(
            {'a': {'instances': 2, 'cores': 2, 'ram': 1024}},
            self.db.run(quota_db.reserved, ['a', 'b', 'c']))
        [(limits, _)] = self.db.run(quota_db.read, ['a']).values()
        self.assertEqual((4, 1), limits['instances'])
        self.db.run(quota_db.expire, 'a')
        self.assertEqual({'a': None, 'b': t0 + datetime.timedelta(
            seconds=2), 'c': t0}, {cloud: read_at for cloud, (_, read_at)
                                   in self.db.run(quota_db.read, 'abc')
                                   .items()})

    def test_counting_or_releasing_a_reservation_touches_no_other(self):
        placement = self.placement(FakeCloud('a'))
        self.record_launches(placement, (None, None, None))

        def reservations(session):
            return [(r.attempt_id, r.counted_after is not None)
                    for r in session.query(models.Reservation).order_by(
                        models.Reservation.attempt_id)]
        [(first, _), (middle, _), (last, _)] = self.db.run(reservations)
        self.db.run(quota_db.counted, middle)
        self.assertEqual([(first, False), (middle, True), (last, False)],
                         self.db.run(reservations))
        self.db.run(quota_db.release, middle)
        self.assertEqual([(first, False), (last, False)],
                         self.db.run(reservations))

    def test_a_first_read_that_races_another_process_s_is_kept(self):
        real_run = self.db.run
        earlier = timeutils.utcnow()
        later = earlier + datetime.timedelta(seconds=1)

        def raced(func, *args, **kwargs):
            if not raced.lost:
                # Another process inserts a's row first; this insert of
                # the same key then fails, as its commit would.
                raced.lost = True
                real_run(lambda session: session.add(models.CloudUsage(
                    cloud='a', limits='{}', read_at=earlier)))
                raise db_exc.DBDuplicateEntry(columns=['cloud'])
            return real_run(func, *args, **kwargs)
        raced.lost = False
        self.db.run = raced
        self.addCleanup(setattr, self.db, 'run', real_run)
        quota_db.store(self.db, 'a', {'instances': (4, 3)}, later)
        self.assertEqual({'a': ({'instances': (4, 3)}, later)},
                         real_run(quota_db.read, ['a']))

    def test_limits_older_than_the_ttl_are_read_again(self):
        cloud = FakeCloud('a')
        placement = self.placement(cloud)
        placement.snapshot()
        timeutils.advance_time_seconds(45)
        placement.snapshot()
        self.assertEqual(2, cloud.reads)

    def test_a_name_one_cloud_knows_is_valid(self):
        placement = self.placement(FakeCloud('a'),
                                   FakeCloud('off', enabled=False))
        ranking = placement.rank(request(
            security_groups=('web',), availability_zone='nova'))
        self.assertEqual(['a'], [c.cloud for c in ranking.ranked])
        self.assertEqual([], placement.federation.cloud('off').asked)

    def test_only_a_commit_moves_round_robin_on(self):
        self.conf.set_override('strategy', 'round_robin', group='placement')
        placement = self.placement(FakeCloud('a'), FakeCloud('b'))
        req = model.LaunchRequest('vm', 'm1.tiny', 'cirros')
        ranking = placement.rank(req)
        self.assertEqual('a', ranking.best.cloud)
        self.assertEqual('a', placement.rank(req).best.cloud)
        placement.commit(ranking)
        self.assertEqual('b', placement.rank(req).best.cloud)

    def test_names_nova_refuses_are_invalid_before_any_cloud_call(self):
        cloud = FakeCloud('a')
        placement = self.placement(cloud)
        for name in ('vm\n', ' vm', 'vm ', '\ud800', 'v\x1bm', 'x' * 256):
            with self.assertRaises(exception.Invalid) as ctx:
                placement.rank(model.LaunchRequest(name, 'm1.tiny', 'cirros'))
            message = str(ctx.exception)
            self.assertEqual(1, len(message.splitlines()), message)
            self.assertIn('server name %s must be 1 to 255 printable '
                          'characters' % exception.short_repr(name), message)
        self.assertEqual(0, cloud.reads)

    def test_only_what_a_request_names_is_read(self):
        cloud = FakeCloud('a')
        placement = self.placement(cloud)
        [plain] = placement.snapshot(request())
        self.assertEqual((None, None, None), (
            plain.security_groups, plain.networks, plain.availability_zones))
        self.assertEqual([], cloud.asked)
        [named] = placement.snapshot(request(
            security_groups=('web',), networks=('private',),
            availability_zone='nova'))
        self.assertEqual(['security_groups', 'networks',
                          'availability_zones'], cloud.asked)
        self.assertEqual((frozenset(['default', 'web']),
                          {'private': ('n1', 'n2'), 'ext': ('n3',)},
                          frozenset(['nova'])),
                         (named.security_groups, named.networks,
                          named.availability_zones))

    def test_a_name_no_cloud_knows_is_invalid_naming_the_field(self):
        placement = self.placement(FakeCloud('a'), FakeCloud('b'))
        for req, message in [
                (request(networks=('lan',)),
                 "networks: no network 'lan' on any cloud"),
                (request(security_groups=('db',)),
                 "security_groups: no security group 'db' on any cloud"),
                (request(availability_zone='az9'),
                 "availability_zone: no availability zone 'az9' on any "
                 "cloud"),
                (request(networks=('lan',), cloud='b'),
                 "networks: no network 'lan' on cloud b")]:
            with self.assertRaises(exception.Invalid) as caught:
                placement.rank(req)
            self.assertEqual('Invalid input: ' + message,
                             str(caught.exception))
        ranking = placement.rank(request(networks=('ext',), cloud='a'))
        self.assertEqual([('a', ['n3'])],
                         [(c.cloud, c.networks) for c in ranking.ranked])

    def test_a_name_is_not_invalid_while_a_cloud_did_not_answer(self):
        placement = self.placement(FakeCloud('a'),
                                   FakeCloud('b', broken='cannot connect'))
        ranking = placement.rank(request(networks=('lan',)))
        self.assertEqual([('a', 'no network lan'),
                          ('b', 'unhealthy: cannot connect')],
                         [(r.cloud, r.reason) for r in ranking.rejected])

    def test_bad_key_user_data_and_networks_are_invalid_before_any_call(
            self):
        cloud = FakeCloud('a')
        placement = self.placement(cloud)
        key = ('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIdnvJqoq1oQFBF65R9tFWPB'
               'ZFbHKnPI6WZ5VjpKrGyT me')
        for req, start in [
                (request(public_key='ssh-rsa nope'), 'public_key: '),
                (request(key_name='k', public_key=key),
                 'key_name and public_key: '),
                (request(user_data='A' * 65536), 'user_data: '),
                (request(user_data='abc'), 'user_data: '),
                (request(networks=('auto', 'lan')), 'networks: '),
                (request(networks=('',)), 'networks: '),
                (request(security_groups=('',)), 'security_groups: ')]:
            with self.assertRaises(exception.Invalid) as caught:
                placement.rank(req)
            self.assertTrue(str(caught.exception).startswith(
                'Invalid input: ' + start), caught.exception)
        self.assertEqual(0, cloud.reads)
        self.assertEqual([], cloud.asked)

    def test_bad_requests(self):
        placement = self.placement(FakeCloud('a'))
        self.assertRaises(exception.Invalid, placement.rank,
                          model.LaunchRequest('vm', 'm1.tiny', 'cirros', 0))
        self.assertRaises(exception.Invalid, placement.rank,
                          model.LaunchRequest('vm', '', 'cirros'))
        self.assertRaises(exception.CloudNotFound, placement.rank,
                          model.LaunchRequest('vm', 'm1.tiny', 'cirros',
                                              cloud='zz'))


class LaunchRequestTest(unittest.TestCase):

    def test_the_spec_a_launch_records_gives_the_request_back(self):
        req = request(count=3, cloud='b', key_name='k', public_key='ssh-x',
                      user_data='aGk=', security_groups=('web',),
                      networks=('lan', 'ext'), availability_zone='az2')
        spec = req.spec()
        self.assertNotIn('count', spec)
        self.assertEqual(['lan', 'ext'], spec['networks'])
        again = model.LaunchRequest.from_spec(
            json.loads(json.dumps(spec)), 'vm-2')
        self.assertEqual(dataclasses.replace(req, name='vm-2', count=1),
                         again)

    def test_a_spec_recorded_before_the_new_fields_still_reads(self):
        old = {'name': 'vm', 'flavor': 'm1.tiny', 'image': 'cirros',
               'cloud': None}
        self.assertEqual(request(), model.LaunchRequest.from_spec(old))
