# SPDX-License-Identifier: Apache-2.0
"""Durable launches against real testbed clouds, checked with novaclient.

The core runs in this process, as one MultiOS process would (its database
an sqlite file of the test's own); the clouds are real Keystone and Nova.
Every test launches with its own context, so the servers it made are the
ones carrying its ``multios:request_id``; they are deleted (and their
disappearance confirmed) at the end, since the testbed is shared.
"""

import threading
import time

from oslo_config import cfg
import pytest

from multios import conf as multios_conf
from multios import context as multios_context
from multios import core as multios_core
from multios import exception
from multios import federation as federation_mod
from multios import placement as placement_mod
from tests.functional import helpers

pytestmark = pytest.mark.functional

#: Seconds a call may take: generous, for a loaded two-core machine where
#: a Nova busy booting answers slowly; the fault tests shorten it.
API_TIMEOUT = 30
FAULT_API_TIMEOUT = 8
LAUNCH_WAIT = 300


class Env:
    """One MultiOS process over a testbed, as one test uses it.

    ``placement`` options override [placement].
    """

    def __init__(self, testbed, directory, api_timeout=API_TIMEOUT,
                 **placement):
        self.testbed = testbed
        path = helpers.write_config(testbed, directory,
                                    api_timeout=api_timeout)
        self.conf = multios_conf.load(['--config-file', path],
                                      conf=cfg.ConfigOpts())
        for name, value in placement.items():
            self.conf.set_override(name, value, group='placement')
        self.conf.set_override('cleanup_min_age', 0, group='engine')
        self.context = multios_context.RequestContext('home-p', 'home-u')
        self.cores = []

    def core(self, **given):
        core = multios_core.Core(self.conf, 'api', **given)
        self.cores.append(core)
        return core

    def launch(self, core, count=1, flavor='m1.tiny'):
        """Accept a launch and wait for this process to end it -> LAUNCH."""
        launch = core.launches.accept(
            self.context,
            placement_mod.LaunchRequest('lt', flavor, 'cirros', count=count))
        core.runner.wait(launch['id'], LAUNCH_WAIT)
        return core.launches.get(self.context, launch['id'])

    def servers(self, cloud):
        """This test's servers on ``cloud``, as its own Nova lists them."""
        return [s for s in helpers.all_servers(cloud)
                if s.metadata.get(federation_mod.META_REQUEST_ID) ==
                self.context.request_id]

    def counts(self):
        return {c.name: len(self.servers(c)) for c in self.testbed.clouds}

    def close(self):
        for core in self.cores:
            core.runner.stop(timeout=30)
        for cloud in self.testbed.clouds:
            helpers.delete_servers(cloud, [s.id for s in self.servers(cloud)])


class FrozenPlacement(placement_mod.Placement):
    """Decides from facts read before a fault, as a launch racing it does."""

    def __init__(self, federation, db, conf):
        super().__init__(federation, db, conf)
        self.frozen = super().snapshot()

    def snapshot(self, request=None):
        return self.frozen


@pytest.fixture
def env(testbed, tmp_path):
    env = Env(testbed, tmp_path, strategy='round_robin')
    yield env
    env.close()


@pytest.fixture
def fault_env(testbed, tmp_path):
    """A hung cloud costs FAULT_API_TIMEOUT per call, not API_TIMEOUT."""
    env = Env(testbed, tmp_path, api_timeout=FAULT_API_TIMEOUT,
              strategy='round_robin')
    yield env
    env.close()


def _attempts(item):
    return [(a['cloud'], a['outcome']) for a in item['attempts']]


def test_accept_answers_before_nova_has_the_server_active(env, testbed):
    core = env.core()
    launch = core.launches.accept(env.context, placement_mod.LaunchRequest(
        'lt', 'm1.tiny', 'cirros'))
    # What Nova says at the moment the answer arrived: not ACTIVE yet.
    statuses = [s.status for c in testbed.clouds for s in env.servers(c)]
    assert statuses in ([], ['BUILD']), statuses
    assert launch['status'] == 'building'
    core.runner.wait(launch['id'], LAUNCH_WAIT)
    ended = core.launches.get(env.context, launch['id'])
    assert ended['status'] == 'active'
    [item] = ended['servers']
    [server] = env.servers(testbed.cloud(item['cloud']))
    assert (server.id, server.status) == (item['id'], 'ACTIVE')


def test_quotas_2_4_6_take_12_instances_and_refuse_the_13th(testbed_factory,
                                                            tmp_path):
    tb = testbed_factory(quotas={'instances': [2, 4, 6]})
    env = Env(tb, tmp_path, quota_cache_ttl=3600)
    try:
        first, second = env.core(), env.core()
        launch = env.launch(first, count=12)
        assert launch['status'] == 'active', [
            (s['name'], s['attempts']) for s in launch['servers']
            if s['status'] != 'ACTIVE']
        assert env.counts() == {'alpha': 2, 'beta': 4, 'gamma': 6}
        for cloud in tb.clouds:
            assert {s.status for s in env.servers(cloud)} == {'ACTIVE'}
        # The limits read before the 12 were trusted for an hour; the
        # reservations say they are taken, in this process and another.
        for core in (first, second):
            with pytest.raises(exception.NoValidCloud) as no_cloud:
                core.launches.accept(env.context, placement_mod.LaunchRequest(
                    'lt', 'm1.tiny', 'cirros'))
            assert [(r.cloud, r.reason)
                    for r in no_cloud.value.rejections] == [
                (name, 'quota exceeded for instances: 1 needed, 0 free')
                for name in ('alpha', 'beta', 'gamma')]
        assert env.counts() == {'alpha': 2, 'beta': 4, 'gamma': 6}
    finally:
        env.close()
    assert env.counts() == {'alpha': 0, 'beta': 0, 'gamma': 0}


@pytest.mark.parametrize('fault', ['stop', 'hang'])
def test_launches_avoid_a_broken_cloud(fault_env, testbed, fault):
    env = fault_env
    core = env.core()
    alpha = testbed.cloud('alpha')
    with alpha.broken(fault):
        started = time.monotonic()
        launch = core.launches.accept(env.context, placement_mod.LaunchRequest(
            'lt', 'm1.tiny', 'cirros', count=2))
        accepted_in = time.monotonic() - started
        core.runner.wait(launch['id'], LAUNCH_WAIT)
    launch = core.launches.get(env.context, launch['id'])
    # round_robin would start with alpha: it was rejected as unhealthy, so
    # no attempt went there.
    assert launch['status'] == 'active'
    assert {s['cloud'] for s in launch['servers']} <= {'beta', 'gamma'}
    assert not [a for s in launch['servers'] for a in s['attempts']
                if a['cloud'] == 'alpha']
    # Reading the broken cloud's facts cost one api_timeout at most, not
    # one per call (flavors, images, limits): twice would be 16 s.
    assert accepted_in < 1.5 * FAULT_API_TIMEOUT
    assert env.counts()['alpha'] == 0
    assert env.counts()['beta'] + env.counts()['gamma'] == 2


@pytest.mark.parametrize('fault', ['stop', 'hang'])
def test_launch_fails_over_when_the_chosen_cloud_breaks(fault_env, testbed,
                                                        fault):
    env = fault_env
    probe = env.core()
    frozen = FrozenPlacement(probe.federation, probe.db, env.conf)
    core = env.core(federation=probe.federation, db=probe.db,
                    placement=frozen)
    alpha = testbed.cloud('alpha')
    with alpha.broken(fault):
        launch = env.launch(core)
    # alpha was chosen from facts read before the fault; the launch then
    # failed over (to beta, unless the loaded machine made beta slow too).
    [item] = launch['servers']
    assert item['attempts'][0] == {
        'cloud': 'alpha', 'outcome': 'unavailable',
        'reason': 'cannot connect' if fault == 'stop' else
        'no answer within %gs' % FAULT_API_TIMEOUT}
    assert item['attempts'][-1]['outcome'] == 'active'
    assert item['cloud'] != 'alpha'
    survivor = testbed.cloud(item['cloud'])
    assert [s.id for s in env.servers(survivor)] == [item['id']]
    if fault == 'stop':
        assert env.servers(alpha) == []
        return
    # A hung Nova had the create in its socket: awake, it makes the
    # server, which the launch could not find then. The records say that
    # attempt failed: two cleanup passes delete it, and nothing else.
    _wait_until(lambda: env.servers(alpha))
    leaks = sorted(s.id for s in env.servers(alpha))
    first = core.cleaner.run()
    assert sorted(s.id for s in first.sighted) == leaks
    second = core.cleaner.run()
    assert sorted(s.id for s in second.deleted) == leaks
    _wait_until(lambda: not env.servers(alpha))
    assert [s.id for s in env.servers(survivor)] == [item['id']]


@pytest.fixture
def trap_flavor(testbed):
    """``multios.trap`` everywhere (helpers.trap_flavors); alpha's cannot be
    scheduled. Placement (ours) ranks alpha first under round_robin.
    """
    with helpers.trap_flavors(testbed) as flavors:
        helpers.trap(flavors['alpha'])
        yield helpers.TRAP_FLAVOR


class Watcher(threading.Thread):
    """Lists this test's servers on two clouds, again and again."""

    def __init__(self, env, first, second):
        super().__init__(daemon=True)
        self.env, self.first, self.second = env, first, second
        self.seen = []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.seen.append((
                [s.id for s in self.env.servers(self.first)],
                [s.id for s in self.env.servers(self.second)]))


def test_an_error_server_is_gone_before_the_next_cloud_is_tried(
        env, testbed, trap_flavor):
    alpha, beta = testbed.cloud('alpha'), testbed.cloud('beta')
    watcher = Watcher(env, alpha, beta)
    watcher.start()
    try:
        launch = env.launch(env.core(), flavor=trap_flavor)
    finally:
        watcher.done.set()
        watcher.join()
    [item] = launch['servers']
    assert _attempts(item) == [('alpha', 'error'), ('beta', 'active')]
    assert 'No valid host' in item['attempts'][0]['reason']
    assert env.servers(alpha) == []
    [server] = env.servers(beta)
    assert (server.id, server.status) == (item['id'], 'ACTIVE')
    assert env.counts()['gamma'] == 0
    # Nova's own listings while it ran: alpha's server was seen, and never
    # at the same time as beta's.
    assert any(on_alpha for on_alpha, _ in watcher.seen)
    assert not [seen for seen in watcher.seen if seen[0] and seen[1]]


def test_cancel_during_a_launch_leaves_nothing_on_any_cloud(env, testbed):
    core = env.core()
    launch = core.launches.accept(env.context, placement_mod.LaunchRequest(
        'lt', 'm1.tiny', 'cirros', count=3))
    cancelling = core.launches.cancel(env.context, launch['id'])
    assert cancelling['status'] == 'building'
    core.runner.wait(launch['id'], LAUNCH_WAIT)
    ended = core.launches.get(env.context, launch['id'])
    assert ended['status'] == 'cancelled'
    assert [s['status'] for s in ended['servers']] == ['DELETED'] * 3
    assert env.counts() == {'alpha': 0, 'beta': 0, 'gamma': 0}


def _wait_until(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, 'timed out waiting'
        time.sleep(0.5)
