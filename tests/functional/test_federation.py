# SPDX-License-Identifier: Apache-2.0
"""The federation against real testbed clouds (Keystone + Nova each)."""

import time

from oslo_config import cfg
import pytest

from multios import conf as multios_conf
from multios import context
from multios import exception
from multios import federation
from tests.functional import helpers

pytestmark = pytest.mark.functional

API_TIMEOUT = 6
#: Allowed beyond api_timeout: the fan-out grace plus scheduling slack on a
#: loaded two-core machine.
MARGIN = federation.DEADLINE_GRACE + 1.5

ADMIN = context.get_admin_context()
OWNER = context.RequestContext(project_id='p-owner', user_id='u-owner')
OTHER = context.RequestContext(project_id='p-other', user_id='u-other')


def make_federation(testbed, directory, **options):
    options.setdefault('api_timeout', API_TIMEOUT)
    path = helpers.write_config(testbed, directory, **options)
    conf = multios_conf.load(['--config-file', path], conf=cfg.ConfigOpts())
    return federation.Federation(conf)


@pytest.fixture(scope='module')
def servers(testbed):
    """One server per cloud owned by OWNER, one by OTHER, one unmanaged."""
    created = {}
    try:
        for cloud in testbed.clouds:
            created[cloud.name] = (
                helpers.create_servers(cloud, 'fed-own-' + cloud.name,
                                       metadata=helpers.owner_metadata(
                                           OWNER.project_id, OWNER.user_id)) +
                helpers.create_servers(cloud, 'fed-other-' + cloud.name,
                                       metadata=helpers.owner_metadata(
                                           OTHER.project_id, OTHER.user_id)) +
                helpers.create_servers(cloud, 'fed-plain-' + cloud.name))
        for cloud in testbed.clouds:
            helpers.wait_active(cloud, created[cloud.name])
        yield created
    finally:
        for cloud in testbed.clouds:
            helpers.delete_servers(cloud, created.get(cloud.name, []))


def names(result):
    return sorted(s.name for s in result.items if s.name.startswith('fed-'))


def test_listing_spans_every_cloud_and_tags_each_server(testbed, servers,
                                                        tmp_path):
    fed = make_federation(testbed, tmp_path)
    result = fed.list_servers(OWNER)
    assert result.errors == []
    assert names(result) == ['fed-own-alpha', 'fed-own-beta', 'fed-own-gamma']
    for server in result.items:
        assert server.cloud == server.name.rsplit('-', 1)[1]
        assert server.id in servers[server.cloud]
        assert (server.project_id, server.user_id) == ('p-owner', 'u-owner')


def test_member_sees_only_own_project_admin_sees_all(testbed, servers,
                                                     tmp_path):
    fed = make_federation(testbed, tmp_path)
    assert names(fed.list_servers(OTHER)) == [
        'fed-other-alpha', 'fed-other-beta', 'fed-other-gamma']
    everything = fed.list_servers(ADMIN, all_tenants=True)
    assert len(names(everything)) == 9
    with pytest.raises(exception.Forbidden):
        fed.list_servers(OWNER, all_tenants=True)
    theirs = servers['beta'][1]
    with pytest.raises(exception.ServerNotFound):
        fed.get_server(OWNER, theirs)
    assert fed.get_server(OTHER, theirs).cloud == 'beta'


def _list_while(testbed, fault, servers, tmp_path):
    fed = make_federation(testbed, tmp_path)
    beta = testbed.cloud('beta')
    with beta.broken(fault):
        started = time.monotonic()
        result = fed.list_servers(OWNER)
        elapsed = time.monotonic() - started
    assert elapsed < API_TIMEOUT + MARGIN
    assert names(result) == ['fed-own-alpha', 'fed-own-gamma']
    assert [e.cloud for e in result.errors] == ['beta']
    return result.errors[0].reason, elapsed


def test_stopped_cloud_gives_partial_result(testbed, servers, tmp_path):
    reason, elapsed = _list_while(testbed, 'stop', servers, tmp_path)
    assert reason == 'cannot connect'


def test_hung_cloud_gives_partial_result_within_api_timeout(
        testbed, servers, tmp_path):
    reason, elapsed = _list_while(testbed, 'hang', servers, tmp_path)
    assert reason == 'no answer within %gs' % API_TIMEOUT
    assert elapsed >= API_TIMEOUT - 0.1


def test_cloud_status_reports_quota_and_a_down_cloud(testbed, tmp_path):
    fed = make_federation(testbed, tmp_path)
    beta = testbed.cloud('beta')
    with beta.broken('stop'):
        status = {s.name: s for s in fed.cloud_status()}
    assert status['alpha'].state == 'up'
    assert status['alpha'].usage['instances']['limit'] == 10
    assert status['alpha'].latency_ms > 0
    assert status['beta'].state == 'down'
    assert status['beta'].reason == 'cannot connect'


def test_flavors_and_images_of_every_cloud(testbed, tmp_path):
    fed = make_federation(testbed, tmp_path)
    flavors, images = fed.flavors(), fed.images()
    assert flavors.errors == images.errors == []
    for cloud in ('alpha', 'beta', 'gamma'):
        assert {'cloud': cloud, 'id': helpers.CIRROS, 'name': 'cirros',
                'status': 'active'} in images.items
        assert 'm1.tiny' in {f['name'] for f in flavors.items
                             if f['cloud'] == cloud}


def counting(plugin, name):
    """The calls of ``plugin.name`` from now on (each still made)."""
    calls = []
    original = getattr(plugin, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return original(*args, **kwargs)
    setattr(plugin, name, counted)
    return calls


def test_a_token_revoked_between_calls_costs_one_login(testbed_factory,
                                                       tmp_path):
    # Nova validates every token with Keystone, as it does once its token
    # cache (300 s by default) has let go of it: a revoked token is refused.
    uncached = testbed_factory(clouds=1, nova_token_cache_time=-1)
    fed = make_federation(uncached, tmp_path)
    auth = fed.cloud('alpha').session.auth
    logins = counting(auth, 'get_auth_ref')
    refusals = counting(auth, 'invalidate')

    def list_servers():
        result = fed.list_servers(ADMIN, all_tenants=True)
        assert result.errors == []
        return auth.auth_ref.auth_token

    token = list_servers()
    assert list_servers() == token
    assert (len(logins), len(refusals)) == (1, 0)  # one token, reused

    keystone = uncached.clouds[0]
    revoked = keystone.session('admin').delete(
        keystone.auth_url + '/auth/tokens',
        headers={'X-Subject-Token': token})
    assert revoked.status_code == 204
    renewed = list_servers()
    assert renewed != token
    # Nova's 401 made keystoneauth drop the token and log in once.
    assert (len(logins), len(refusals)) == (2, 1)
    assert list_servers() == renewed
    assert len(logins) == 2
