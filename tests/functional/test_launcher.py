"""The launcher against real testbed clouds, checked with novaclient.

Every test launches with its own RequestContext, so the servers it made
are the ones carrying its ``multios:request_id``; they are deleted (and
their disappearance confirmed) at the end, since the testbed is shared.
"""

import time

from oslo_config import cfg
import pytest

from multios import conf as multios_conf
from multios import context as multios_context
from multios import exception
from multios import federation as federation_mod
from multios import launcher as launcher_mod
from multios import placement as placement_mod
from tests.functional import helpers

pytestmark = pytest.mark.functional

#: Seconds a call may take: generous, for a loaded two-core machine where
#: a Nova busy booting answers slowly; the fault tests shorten it.
API_TIMEOUT = 30
FAULT_API_TIMEOUT = 8
#: A flavor of the same name and size on every cloud, which one cloud's
#: Nova cannot schedule: see TrapFlavor.
TRAP_FLAVOR = 'multios.trap'


class Env:
    """Federation, placement and launcher over a testbed, as one test uses.

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
        self.federation = federation_mod.Federation(self.conf)
        self.leak_file = str(directory / 'leaks.json')
        self.context = multios_context.RequestContext('home-p', 'home-u')
        self.progress = []

    def placement(self):
        return placement_mod.Placement(self.federation, self.conf)

    def launcher(self, placement=None):
        return launcher_mod.Launcher(self.federation,
                                     placement or self.placement(),
                                     self.conf, leak_file=self.leak_file)

    def launch(self, count=1, flavor='m1.tiny', launcher=None):
        request = placement_mod.LaunchRequest('lt', flavor, 'cirros',
                                              count=count)
        return (launcher or self.launcher()).launch(
            self.context, request, self.progress.append)

    def servers(self, cloud):
        """This test's servers on ``cloud``, as its own Nova lists them."""
        nova = cloud.nova_client('admin')
        return [s for s in nova.servers.list(
                    search_opts={'all_tenants': True}, limit=-1)
                if s.metadata.get(federation_mod.META_REQUEST_ID) ==
                self.context.request_id]

    def counts(self):
        return {c.name: len(self.servers(c)) for c in self.testbed.clouds}

    def delete_all(self):
        for cloud in self.testbed.clouds:
            helpers.delete_servers(cloud, [s.id for s in self.servers(cloud)])


class FrozenPlacement(placement_mod.Placement):
    """Decides from facts read before a fault, as a launch racing it does."""

    def __init__(self, federation, conf):
        super().__init__(federation, conf)
        self.frozen = super().snapshot()

    def snapshot(self):
        return self.frozen


@pytest.fixture
def env(testbed, tmp_path):
    env = Env(testbed, tmp_path, strategy='round_robin')
    yield env
    env.delete_all()


@pytest.fixture
def fault_env(testbed, tmp_path):
    """A hung cloud costs FAULT_API_TIMEOUT per call, not API_TIMEOUT."""
    env = Env(testbed, tmp_path, api_timeout=FAULT_API_TIMEOUT,
              strategy='round_robin')
    yield env
    env.delete_all()


def test_quotas_2_4_6_take_12_launches_and_refuse_the_13th(testbed_factory,
                                                           tmp_path):
    tb = testbed_factory(quotas={'instances': [2, 4, 6]})
    env = Env(tb, tmp_path, quota_cache_ttl=3600)
    # Limits read before the 12 launches and trusted for an hour: with them
    # placement believes there is room, so Nova itself must refuse (403).
    stale = env.placement()
    stale.snapshot()
    try:
        launches = env.launch(count=12)
        assert len(launches) == 12
        assert {launch.server.status for launch in launches} == {'ACTIVE'}
        assert env.counts() == {'alpha': 2, 'beta': 4, 'gamma': 6}
        for cloud in tb.clouds:
            assert {s.status for s in env.servers(cloud)} == {'ACTIVE'}

        with pytest.raises(exception.NoValidCloud) as no_cloud:
            env.launch()
        assert [(r.cloud, r.reason) for r in no_cloud.value.rejections] == [
            (name, 'quota exceeded for instances: 1 needed, 0 free')
            for name in ('alpha', 'beta', 'gamma')]

        with pytest.raises(exception.LaunchFailed) as failed:
            env.launch(launcher=env.launcher(stale))
        attempts = failed.value.attempts
        assert sorted(a.cloud for a in attempts) == ['alpha', 'beta', 'gamma']
        assert {a.outcome for a in attempts} == {'quota'}
        assert all('Quota exceeded' in a.reason for a in attempts)
        assert env.counts() == {'alpha': 2, 'beta': 4, 'gamma': 6}
    finally:
        env.delete_all()
    assert env.counts() == {'alpha': 0, 'beta': 0, 'gamma': 0}


@pytest.mark.parametrize('fault', ['stop', 'hang'])
def test_launches_avoid_a_broken_cloud(fault_env, testbed, fault):
    env = fault_env
    alpha = testbed.cloud('alpha')
    with alpha.broken(fault):
        started = time.monotonic()
        launches = env.launch(count=2)
        elapsed = time.monotonic() - started
    # round_robin would start with alpha: it was rejected as unhealthy, so
    # no attempt went there.
    assert {launch.cloud for launch in launches} <= {'beta', 'gamma'}
    assert not [a for launch in launches for a in launch.attempts
                if a.cloud == 'alpha']
    # Reading the broken cloud cost one api_timeout, not one per call: two
    # fake-driver boots take a few seconds on their own.
    assert elapsed < FAULT_API_TIMEOUT + 30
    assert env.counts()['alpha'] == 0
    assert env.counts()['beta'] + env.counts()['gamma'] == 2


@pytest.mark.parametrize('fault', ['stop', 'hang'])
def test_launch_fails_over_when_the_chosen_cloud_breaks(fault_env, testbed,
                                                        fault):
    env = fault_env
    frozen = FrozenPlacement(env.federation, env.conf)
    alpha = testbed.cloud('alpha')
    with alpha.broken(fault):
        [launch] = env.launch(launcher=env.launcher(frozen))
    # alpha was chosen from facts read before the fault; the launch then
    # failed over (to beta, unless the loaded machine made beta slow too).
    assert launch.attempts[0] == launcher_mod.Attempt(
        'alpha', 'unavailable',
        'cannot connect' if fault == 'stop' else
        'no answer within %gs' % FAULT_API_TIMEOUT)
    assert launch.attempts[-1].outcome == 'active'
    assert launch.cloud != 'alpha'
    survivor = testbed.cloud(launch.cloud)
    assert [s.id for s in env.servers(survivor)] == [launch.server.id]
    if fault == 'hang':
        # Once awake, a hung Nova may still serve the create it had queued:
        # the server it makes then is a leak, for cleanup's second pass.
        _wait_until(lambda: env.servers(alpha), timeout=15, required=False)
    launcher = env.launcher()
    launcher.cleanup()
    deleted = launcher.cleanup()
    assert {s.cloud for s in deleted
            if s.request_id == env.context.request_id} <= {'alpha'}
    _wait_until(lambda: not env.servers(alpha))
    assert [s.id for s in env.servers(survivor)] == [launch.server.id]


@pytest.fixture
def trap_flavor(testbed):
    """``multios.trap`` everywhere; alpha's requires a trait no host has.

    Placement (ours) sees the same name and size on every cloud and ranks
    alpha first under round_robin; alpha's Nova scheduler then asks its
    Placement service for hosts with ``CUSTOM_MULTIOS_NOT_THERE`` and gets
    none: NoValidHost, the server goes to ERROR with that fault. This is a
    real ERROR from a real Nova, on one cloud only.
    """
    made = []
    for cloud in testbed.clouds:
        nova = cloud.nova_client('admin')
        for old in nova.flavors.list(is_public=None):
            if old.name == TRAP_FLAVOR:  # left by an interrupted run
                nova.flavors.delete(old)
        flavor = nova.flavors.create(TRAP_FLAVOR, 256, 1, 1)
        made.append((nova, flavor))
        if cloud.name == 'alpha':
            flavor.set_keys({'trait:CUSTOM_MULTIOS_NOT_THERE': 'required'})
    yield TRAP_FLAVOR
    for nova, flavor in made:
        nova.flavors.delete(flavor)


def test_error_fails_over_and_the_error_server_is_deleted(env, testbed,
                                                          trap_flavor):
    [launch] = env.launch(flavor=trap_flavor)
    assert [(a.cloud, a.outcome) for a in launch.attempts] == [
        ('alpha', 'error'), ('beta', 'active')]
    assert 'No valid host' in launch.attempts[0].reason
    assert env.servers(testbed.cloud('alpha')) == []
    [server] = env.servers(testbed.cloud('beta'))
    assert (server.id, server.status) == (launch.server.id, 'ACTIVE')
    assert env.counts()['gamma'] == 0


def test_cleanup_deletes_an_error_server_on_its_second_pass(env, testbed,
                                                            trap_flavor):
    alpha = testbed.cloud('alpha')
    nova = alpha.nova_client('admin')
    flavor = nova.flavors.find(name=trap_flavor)
    metadata = helpers.owner_metadata('home-p', 'home-u',
                                      env.context.request_id)
    server = nova.servers.create('leak', helpers.CIRROS, flavor,
                                 meta=metadata, nics='none')
    _wait_until(lambda: nova.servers.get(server.id).status == 'ERROR')
    launcher = env.launcher()
    assert launcher.cleanup() == []
    assert [s.id for s in env.servers(alpha)] == [server.id]
    assert [s.id for s in launcher.cleanup()] == [server.id]
    _wait_until(lambda: not env.servers(alpha))


def _wait_until(predicate, timeout=60, required=True):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            assert not required, 'timed out waiting'
            return
        time.sleep(0.5)
