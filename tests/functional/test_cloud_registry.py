# SPDX-License-Identifier: Apache-2.0
"""Clouds registered through the API, seen by every API process at once.

Two real multios-api processes share one database; the registered cloud is
a second name for beta's real account (its own Keystone and Nova), so what
MultiOS does with it is checked against beta's Nova.
"""

import sqlite3
import time

import pytest

from tests.functional import api_server
from tests.functional import helpers

pytestmark = [pytest.mark.functional]

FED = '/v1/os-federation'
SEEN_WITHIN = 15


@pytest.fixture(scope='module')
def apis(testbed, tmp_path_factory):
    directory = str(tmp_path_factory.mktemp('registry'))
    started = [api_server.ApiServer(testbed, directory).start()
               for _ in range(2)]
    yield started
    for api in started:
        api.stop()


def client(testbed, api, user):
    return api_server.Client(api.url,
                             testbed.clouds[0].session(user).get_token(),
                             secrets=tuple(testbed.passwords.values()))


def registration(testbed, name='delta', **changes):
    beta = testbed.cloud('beta').credentials('admin')
    return {'cloud': dict({'name': name, 'auth_url': beta['auth_url'],
                           'username': beta['username'],
                           'password': beta['password'],
                           'project_name': beta['project_name'],
                           'region_name': 'RegionOne'}, **changes)}


def cloud_state(admin, name):
    """The cloud's state as an API lists it, None when it does not."""
    for cloud in admin.get(FED + '/clouds').json()['clouds']:
        if cloud['name'] == name:
            return cloud['state']
    return None


def eventually(predicate, what):
    deadline = time.monotonic() + SEEN_WITHIN
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def test_register_use_disable_and_remove_a_cloud(testbed, apis):
    first, second = [client(testbed, api, 'admin') for api in apis]
    response = first.post(FED + '/clouds', registration(testbed))
    assert response.status_code == 201, response.text
    registered = response.json()['cloud']
    assert (registered['name'], registered['source']) == ('delta',
                                                          'registered')
    try:
        # The other process sees it without a restart.
        eventually(lambda: cloud_state(second, 'delta') == 'up',
                   'the second API did not see delta')
        # The next launch may use it: pinned there, it lands on beta.
        launched = api_server.launch(second, FED, {'server': dict(
            api_server.LAUNCH['server'], cloud='delta')})
        assert launched['cloud'] == 'delta'
        beta = testbed.cloud('beta').nova_client('admin')
        assert beta.servers.get(launched['id']).status == 'ACTIVE'
        helpers.delete_servers(testbed.cloud('beta'), [launched['id']])

        response = first.put(FED + '/clouds/delta',
                             {'cloud': {'enabled': False}})
        assert response.status_code == 200, response.text
        eventually(lambda: cloud_state(second, 'delta') == 'disabled',
                   'the second API did not see delta disabled')
        ranking = second.post(FED + '/placement', {'server': dict(
            api_server.LAUNCH['server'], cloud='delta')}).json()['placement']
        assert ranking['ranked'] == []
        assert {'cloud': 'delta', 'reason': 'disabled by the operator'} in \
            ranking['rejected']
    finally:
        response = first.delete(FED + '/clouds/delta')
    assert response.status_code == 204, response.text
    eventually(lambda: cloud_state(second, 'delta') is None,
               'the second API still lists delta')


def test_the_secret_is_stored_encrypted_and_never_returned(testbed, apis):
    admin = client(testbed, apis[0], 'admin')
    response = admin.post(FED + '/clouds', registration(testbed, 'epsilon'))
    assert response.status_code == 201, response.text
    try:
        password = testbed.cloud('beta').passwords['admin']
        database = apis[0].directory + '/multios.sqlite'
        with sqlite3.connect(database) as connection:
            rows = connection.execute(
                'SELECT settings, secret FROM registered_clouds').fetchall()
        assert rows and not [row for row in rows if password in ''.join(row)]
        for path in ('/clouds', '/clouds/epsilon'):
            assert password not in admin.get(FED + path).text
    finally:
        admin.delete(FED + '/clouds/epsilon')


def test_an_account_that_cannot_log_in_is_refused_and_not_stored(testbed,
                                                                 apis):
    admin = client(testbed, apis[0], 'admin')
    response = admin.post(FED + '/clouds', registration(
        testbed, 'zeta', password='not-the-password'))
    message = api_server.fault(response, 'badRequest', 400)
    assert 'the account admin cannot authenticate at' in message
    assert 'not-the-password' not in response.text
    assert cloud_state(admin, 'zeta') is None


def test_configured_clouds_are_changed_in_their_file(testbed, apis):
    admin = client(testbed, apis[0], 'admin')
    for response in (admin.put(FED + '/clouds/alpha',
                               {'cloud': {'draining': True}}),
                     admin.delete(FED + '/clouds/alpha')):
        message = api_server.fault(response, 'conflictingRequest', 409)
        assert 'cloud alpha is defined in %s' % apis[0].config_file in \
            message
    response = admin.post(FED + '/clouds', registration(testbed, 'alpha'))
    api_server.fault(response, 'conflictingRequest', 409)


def test_members_and_readers_cannot_change_clouds(testbed, apis):
    member = client(testbed, apis[0], 'demo')
    api_server.fault(member.post(FED + '/clouds', registration(testbed)),
                     'forbidden', 403)
    api_server.fault(member.delete(FED + '/clouds/alpha'), 'forbidden', 403)
