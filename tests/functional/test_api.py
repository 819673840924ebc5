# SPDX-License-Identifier: Apache-2.0
"""The MultiOS REST API with real Keystone tokens against the testbed clouds.

multios-api runs as its own process, as deployed: the shipped paste pipeline,
keystonemiddleware validating tokens of the first cloud's Keystone (the home
identity), the core federating every testbed cloud. fping runs inside a
network namespace of this module's own (through a wrapper given as
``[fping] fping_path``), so no ping ever leaves it; the address of one
server is configured there so that it answers.
"""

import json
import time
import uuid

import pytest

from tests.functional import api_server
from tests.functional.api_server import Client
from tests.functional.api_server import delete_quietly
from tests.functional.api_server import fault
from tests.functional.api_server import launch
from tests.functional import helpers

# The namespace and fping_wrapper fixtures.
pytest_plugins = ['tests.functional.api_server']
pytestmark = [pytest.mark.functional]

FED = '/v1/os-federation'
LAUNCH = api_server.LAUNCH


def start_api(testbed, tmp_path_factory, extra):
    directory = str(tmp_path_factory.mktemp('multios-api'))
    return api_server.ApiServer(testbed, directory, extra).start()


@pytest.fixture(scope='module')
def api(testbed, tmp_path_factory, fping_wrapper):
    server = start_api(testbed, tmp_path_factory,
                       '[fping]\nfping_path = %s\n' % fping_wrapper)
    yield server
    server.stop()


def client(testbed, api, user=None):
    token = testbed.clouds[0].session(user).get_token() if user else None
    return Client(api.url, token, secrets=tuple(testbed.passwords.values()))


@pytest.fixture(scope='module')
def member(testbed, api):
    return client(testbed, api, 'demo')


@pytest.fixture(scope='module')
def admin(testbed, api):
    return client(testbed, api, 'admin')


@pytest.fixture(scope='module')
def anonymous(testbed, api):
    return client(testbed, api)


def test_versions_need_no_token(anonymous, api):
    response = anonymous.get('/')
    version, = response.json()['versions']
    assert version['links'][0]['href'] == api.url + '/v1/'


def test_resources_need_a_token(anonymous):
    assert anonymous.get(FED + '/clouds').status_code == 401


def test_forged_token_is_refused(api, testbed):
    forged = Client(api.url, 'gAAAAA-not-a-token')
    assert forged.get(FED + '/clouds').status_code == 401


def test_version_document(member):
    version = member.get('/v1').json()['version']
    assert version['id'] == 'v1' and version['media-types']


def test_clouds_state_and_usage_without_credentials(member, testbed):
    clouds = member.get(FED + '/clouds').json()['clouds']
    assert [c['name'] for c in clouds] == [c.name for c in testbed.clouds]
    for cloud in clouds:
        assert cloud['state'] == 'up', cloud
        assert cloud['usage']['instances']['limit'] > 0
        assert cloud['latency_ms'] >= 0
        assert 'password' not in json.dumps(cloud)


def test_cloud_show_and_unknown_cloud(member, testbed):
    name = testbed.clouds[-1].name
    assert member.get(FED + '/clouds/' + name).json()['cloud']['name'] == name
    assert fault(member.get(FED + '/clouds/nowhere'), 'itemNotFound',
                 404) == 'Cloud nowhere could not be found.'


def placement(as_client):
    response = as_client.post(FED + '/placement', LAUNCH)
    assert response.status_code == 200, response.text
    return response.json()['placement']


def test_placement_ranks_every_cloud(member, testbed):
    ranking = placement(member)
    # Every testbed cloud has the flavor, the image and room for it.
    assert ranking['rejected'] == []
    ranked = [candidate['cloud'] for candidate in ranking['ranked']]
    assert sorted(ranked) == sorted(c.name for c in testbed.clouds)
    scores = [candidate['score'] for candidate in ranking['ranked']]
    assert all(isinstance(score, (int, float)) for score in scores)
    assert scores == sorted(scores, reverse=True)


def test_placement_of_an_unknown_cloud(member):
    body = {'server': dict(LAUNCH['server'], cloud='nowhere')}
    assert fault(member.post(FED + '/placement', body), 'itemNotFound',
                 404) == 'Cloud nowhere could not be found.'


@pytest.mark.parametrize('data, field', [
    ('{"server": {"name": "x"', None),
    ('{"server": {"name": "x", "flavorRef": "m1.tiny", "imageRef": "c", '
     '"count": "2"}}', 'server.count'),
    ('{"server": {"name": 7, "flavorRef": "m1.tiny", "imageRef": "c"}}',
     'server.name'),
    ('{"server": {"name": "x", "imageRef": "c"}}', "'flavorRef'"),
])
def test_bad_bodies_are_bad_requests(member, data, field):
    response = member('POST', FED + '/placement', data=data,
                      headers={'Content-Type': 'application/json'})
    message = fault(response, 'badRequest', 400)
    assert field in message if field else message == \
        'Malformed request body.'


def test_oversize_body_is_refused(member):
    body = {'server': dict(LAUNCH['server'], name='x' * 200000)}
    assert member.post(FED + '/placement', body).status_code == 413


def test_unknown_path_and_method(member):
    fault(member.get('/v1/os-nothing'), 'itemNotFound', 404)
    response = member('PUT', FED + '/servers')
    assert fault(response, 'badMethod', 405) == (
        'The method PUT is not allowed for this resource.')
    assert response.headers['Allow'] == 'GET, POST'


def test_deeply_nested_body_is_malformed(member):
    response = member('POST', FED + '/placement', data='[' * 50000,
                      headers={'Content-Type': 'application/json'})
    assert fault(response, 'badRequest', 400) == 'Malformed request body.'


@pytest.mark.parametrize('method', ['get', 'delete'])
@pytest.mark.parametrize('server_id, shown', [
    ('detail', 'detail'),
    ('%D1%81%D0%B5%D1%80%D0%B2%D0%B5%D1%80', 'сервер')])
def test_an_id_that_is_no_uuid_is_not_found_at_once(member, method,
                                                    server_id, shown):
    """servers/detail was a 503 "KeyError: 'server'" from every cloud."""
    response = getattr(member, method)(FED + '/servers/' + server_id)
    assert fault(response, 'itemNotFound', 404) == (
        'Server %s could not be found.' % shown)
    assert response.elapsed.total_seconds() < 1
    if method == 'get':
        assert fault(member.get('/v1/os-fping/' + server_id),
                     'itemNotFound', 404) == (
            'Server %s could not be found.' % shown)


@pytest.mark.parametrize('name', ['vm\n', ' vm', 'vm ', '\ud800', 'v\x00m'])
def test_names_nova_refuses_are_bad_requests_up_front(member, name):
    body = {'server': dict(LAUNCH['server'], name=name)}
    for path in ('/servers', '/placement'):
        message = fault(member.post(FED + path, body), 'badRequest', 400)
        assert message == (
            'Invalid input for field/attribute server.name. Value: %r. It '
            'must be 1 to 255 printable characters, not starting or ending '
            'with whitespace.' % name)


def test_a_long_name_is_shown_once_and_cut(member):
    body = {'server': dict(LAUNCH['server'], name='x' * 300)}
    message = fault(member.post(FED + '/placement', body), 'badRequest', 400)
    assert message.count('x' * 60) == 1 and 'x' * 61 not in message
    assert '(300 characters)' in message


def test_placement_of_an_unknown_image_says_why(member, testbed):
    body = {'server': dict(LAUNCH['server'], imageRef='no-such-image')}
    response = member.post(FED + '/placement', body)
    assert response.status_code == 200, response.text
    ranking = response.json()['placement']
    assert ranking['plan'] == []
    assert ranking['unplaced'] == [
        {'cloud': cloud.name, 'reason': 'no image no-such-image'}
        for cloud in testbed.clouds]


def test_a_service_password_with_dollars_quotes_and_spaces(
        testbed, tmp_path_factory):
    """[keystone_authtoken] as written for it: real token validation."""
    home = testbed.clouds[0]
    name = 'tricky-%s' % uuid.uuid4().hex[:8]
    user_id = helpers.add_user(home, name, helpers.TRICKY_PASSWORD)
    api = None
    try:
        api = api_server.ApiServer(
            testbed, str(tmp_path_factory.mktemp('multios-api-tricky')),
            credentials={'username': name,
                         'password': helpers.TRICKY_PASSWORD,
                         'project_name': 'admin'}).start()
        member = client(testbed, api, 'demo')
        response = member.get(FED + '/clouds')
        assert response.status_code == 200, response.text
        with open(api.log_file) as log:
            assert helpers.TRICKY_PASSWORD.strip() not in log.read()
    finally:
        if api:
            api.stop()
        helpers.delete_user(home, user_id)


def test_unknown_server(member):
    missing = str(uuid.uuid4())
    fault(member.get(FED + '/servers/' + missing), 'itemNotFound', 404)
    fault(member.delete(FED + '/servers/' + missing), 'itemNotFound', 404)
    fault(member.get('/v1/os-fping/' + missing), 'itemNotFound', 404)


@pytest.mark.parametrize('path', [FED + '/servers?all_tenants=1',
                                  '/v1/os-fping?all_tenants=1'])
def test_all_tenants_is_refused_to_members(member, path):
    assert 'all_tenants' in fault(member.get(path), 'forbidden', 403)


def test_bad_all_tenants_value(admin):
    fault(admin.get(FED + '/servers?all_tenants=perhaps'), 'badRequest', 400)


def test_servers_of_an_unknown_cloud(member):
    fault(member.get(FED + '/servers?cloud=nowhere'), 'itemNotFound', 404)


def test_member_launches_sees_and_deletes(member, admin, testbed):
    launched = launch(member, FED)
    try:
        assert launched['cloud'] in [c.name for c in testbed.clouds]
        assert launched['attempts'][-1]['cloud'] == launched['cloud']
        path = FED + '/servers/' + launched['id']
        shown = member.get(path).json()['server']
        assert shown['project_id'] == testbed.clouds[0].project_id('demo')
        assert shown['user_id'] == testbed.clouds[0].user_id('demo')
        mine = member.get(FED + '/servers').json()['servers']
        assert launched['id'] in [server['id'] for server in mine]
        everyone = admin.get(FED + '/servers?all_tenants=1').json()
        assert launched['id'] in [s['id'] for s in everyone['servers']]
        only_cloud = member.get(FED + '/servers?cloud=%s'
                                % launched['cloud']).json()['servers']
        assert {s['cloud'] for s in only_cloud} == {launched['cloud']}
        response = member.delete(path)
        assert response.status_code == 204 and response.content == b''
        deadline = time.monotonic() + api_server.DELETE_TIMEOUT
        while member.get(path).status_code != 404:
            assert time.monotonic() < deadline, 'server was not deleted'
            time.sleep(0.5)
    finally:
        delete_quietly(admin, FED, launched['id'])


def test_member_cannot_touch_another_projects_server(member, admin):
    launched = launch(admin, FED)
    try:
        path = FED + '/servers/' + launched['id']
        fault(member.get(path), 'itemNotFound', 404)
        fault(member.delete(path), 'itemNotFound', 404)
        assert admin.get(path).status_code == 200
        mine = member.get(FED + '/servers').json()['servers']
        assert launched['id'] not in [server['id'] for server in mine]
    finally:
        delete_quietly(admin, FED, launched['id'])


def test_launch_with_a_bad_flavor_is_a_clear_error(member):
    body = {'server': dict(LAUNCH['server'], flavorRef='m9.nothing')}
    response = member.post(FED + '/servers', body)
    assert response.status_code in (400, 409), response.text
    assert 'm9.nothing' in response.json()[next(iter(response.json()))][
        'message']


@pytest.fixture
def answering_server(testbed, namespace):
    """A server of the demo project whose IPv4 answers in the namespace."""
    with api_server.demo_servers(testbed, namespace,
                                 {'api-fping': True}) as ids:
        yield ids['api-fping']


def test_fping_in_novas_bodies(member, admin, answering_server, testbed):
    items = member.get('/v1/os-fping').json()['servers']
    mine = {item['id']: item for item in items}
    item = mine[answering_server]
    assert item == {'id': answering_server, 'alive': True,
                    'project_id': testbed.clouds[0].project_id('demo'),
                    'cloud': testbed.clouds[0].name}
    assert member.get('/v1/os-fping').json()['errors'] == []
    one = member.get('/v1/os-fping/' + answering_server).json()['server']
    assert one == item
    excluded = member.get('/v1/os-fping?exclude=' + answering_server)
    assert answering_server not in [i['id'] for i in
                                    excluded.json()['servers']]
    everyone = admin.get('/v1/os-fping?all_tenants=1').json()['servers']
    assert answering_server in [i['id'] for i in everyone]


def test_clouds_follow_the_config_dir_without_restart(testbed, tmp_path):
    clouds_d = tmp_path / 'clouds.d'
    clouds_d.mkdir()
    reloading_api = api_server.ApiServer(testbed, str(tmp_path),
                                         config_dir=str(clouds_d)).start()
    try:
        member = client(testbed, reloading_api, 'demo')
        listed = [c.name for c in testbed.clouds]

        def clouds():
            return {c['name']: c['state'] for c in
                    member.get(FED + '/clouds').json()['clouds']}

        def write_extra(enabled):
            # Another account on alpha's Keystone, as the dashboard adds one.
            options = dict(testbed.clouds[0].credentials('admin'),
                           enabled=enabled)
            (clouds_d / 'extra.conf').write_text('[cloud:extra]\n' + ''.join(
                '%s = %s\n' % item for item in options.items()))

        assert clouds() == dict.fromkeys(listed, 'up')
        write_extra(enabled=True)
        assert clouds() == dict.fromkeys(listed + ['extra'], 'up')
        assert 'extra' in [c['cloud'] for c in placement(member)['ranked']]
        write_extra(enabled=False)
        assert clouds() == dict(dict.fromkeys(listed, 'up'),
                                extra='disabled')
        assert placement(member)['rejected'] == [
            {'cloud': 'extra', 'reason': 'disabled by the operator'}]
        (clouds_d / 'extra.conf').unlink()
        assert clouds() == dict.fromkeys(listed, 'up')
        assert fault(member.get(FED + '/clouds/extra'), 'itemNotFound', 404)
        assert reloading_api.process.poll() is None  # one process throughout
    finally:
        reloading_api.stop()


def test_fping_rate_limit_and_missing_fping(testbed, tmp_path_factory):
    limited_api = start_api(
        testbed, tmp_path_factory,
        '[api]\nfping_rate_limit = 2\n'
        '[fping]\nfping_path = /nonexistent/fping\n')
    try:
        member = client(testbed, limited_api, 'demo')
        admin = client(testbed, limited_api, 'admin')
        for _ in range(2):
            assert fault(member.get('/v1/os-fping'), 'serviceUnavailable',
                         503) == 'fping utility is not found.'
        response = member.get('/v1/os-fping')
        fault(response, 'overLimit', 429)
        retry_after = int(response.headers['Retry-After'])
        assert 3500 <= retry_after <= 3600
        assert response.json()['overLimit']['retryAfter'] == str(retry_after)
        # The limit is per project: the admin's project still gets through.
        assert admin.get('/v1/os-fping').status_code == 503
    finally:
        limited_api.stop()
