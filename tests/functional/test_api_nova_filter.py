# SPDX-License-Identifier: Apache-2.0
"""The MultiOS filter inside the testbed Nova's own api-paste pipeline.

Nova is started with its shipped api-paste.ini plus the MultiOS filter just
before its compute app, so /v2.1/os-fping and /v2.1/os-federation/... are
served from inside nova-api, after Nova's own keystonemiddleware and context
middleware, and every other request still reaches Nova.
"""

import os
import re
import sys

import pytest

from tests.functional import api_server

# The namespace and fping_wrapper fixtures.
pytest_plugins = ['tests.functional.api_server']
pytestmark = [pytest.mark.functional]

NOVA_PASTE = os.path.join(sys.prefix, 'etc', 'nova', 'api-paste.ini')
FILTER_SECTION = """
[filter:multios]
paste.filter_factory = multios_api_ext.app:filter_factory
config_file = %(here)s/multios-filter.conf
"""


def paste_with_filter():
    """Nova's api-paste.ini with multios before its compute app."""
    with open(NOVA_PASTE) as paste:
        text = paste.read()
    text, count = re.subn(r'^(keystone = .*) osapi_compute_app_v21$',
                          r'\1 multios osapi_compute_app_v21', text,
                          flags=re.MULTILINE)
    assert count == 2, 'Nova api-paste.ini changed: %d pipelines' % count
    return text + FILTER_SECTION


@pytest.fixture(scope='module')
def nova_testbed(testbed_factory, tmp_path_factory, fping_wrapper):
    directory = tmp_path_factory.mktemp('nova-filter')
    paste = directory / 'nova-api-paste.ini'
    paste.write_text(paste_with_filter())
    testbed = testbed_factory(clouds=1, nova_api_paste=str(paste))
    # Read on the filter's first request: the testbed writes multios.conf
    # only once its clouds serve.
    with open(testbed.config_file) as base:
        (directory / 'multios-filter.conf').write_text(
            base.read() + '\n[fping]\nfping_path = %s\n' % fping_wrapper +
            '[DEFAULT]\nstate_path = %s\n' % directory)
    return testbed


def nova_client(testbed, user=None):
    cloud = testbed.clouds[0]
    token = cloud.session(user).get_token() if user else None
    return api_server.Client(cloud.compute_url, token,
                             secrets=tuple(testbed.passwords.values()))


@pytest.fixture(scope='module')
def member(nova_testbed):
    return nova_client(nova_testbed, 'demo')


@pytest.fixture(scope='module')
def admin(nova_testbed):
    return nova_client(nova_testbed, 'admin')


def test_nova_still_serves_its_own_api(member):
    response = member.get('/servers')
    assert response.status_code == 200 and 'servers' in response.json()
    assert member.get('/flavors').json()['flavors']


def test_novas_authentication_guards_the_filter(nova_testbed):
    anonymous = nova_client(nova_testbed)
    assert anonymous.get('/os-fping').status_code == 401
    assert anonymous.get('/os-federation/clouds').status_code == 401


def test_fping_from_inside_nova(member, nova_testbed, namespace):
    answering = {'nova-fping-alive': True, 'nova-fping-silent': False}
    with api_server.demo_servers(nova_testbed, namespace, answering) as ids:
        response = member.get('/os-fping')
    assert response.status_code == 200, response.text
    items = {item['id']: item for item in response.json()['servers']}
    cloud = nova_testbed.clouds[0]
    for name, alive in answering.items():
        assert items[ids[name]] == {
            'id': ids[name], 'alive': alive, 'cloud': cloud.name,
            'project_id': cloud.project_id('demo')}
    api_server.fault(member.get('/os-fping?all_tenants=1'), 'forbidden', 403)


def test_federation_from_inside_nova(member, admin, nova_testbed):
    clouds = member.get('/os-federation/clouds').json()['clouds']
    assert [c['name'] for c in clouds] == [nova_testbed.clouds[0].name]
    launched = api_server.launch(member, '/os-federation')
    try:
        path = '/os-federation/servers/' + launched['id']
        shown = member.get(path).json()['server']
        assert shown['project_id'] == nova_testbed.clouds[0].project_id(
            'demo')
        assert member.delete(path).status_code == 204
    finally:
        api_server.delete_quietly(admin, '/os-federation', launched['id'])


def test_unknown_federation_path_is_left_to_nova(member):
    response = member.get('/os-federation/nothing')
    assert response.status_code == 404
    # Nova's router answers unknown paths in plain text; ours in JSON.
    assert not response.headers['Content-Type'].startswith(
        'application/json')
