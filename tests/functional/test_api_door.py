# SPDX-License-Identifier: Apache-2.0
"""What a front end needs of the REST API, with real tokens and real clouds.

multios-api runs as deployed (tests/functional/api_server.py) over the three
testbed clouds; the callers are the home Keystone's demo member, its reader
(role reader in the demo project only) and the admin. What the API says is
checked against each cloud's own novaclient. No fping runs here: its path
names nothing, so no ping can leave.
"""

import time
import uuid

import pytest

from tests.functional import api_server
from tests.functional.api_server import Client
from tests.functional.api_server import fault
from tests.functional import helpers
from tests.testbed import IMAGES

pytestmark = [pytest.mark.functional]

FED = '/v1/os-federation'
#: Seconds a power action takes to show in Nova, on a loaded machine.
ACTION_TIMEOUT = 120
SHUTDOWN, RUNNING = 4, 1


@pytest.fixture(scope='module')
def api(testbed, tmp_path_factory):
    server = api_server.ApiServer(
        testbed, str(tmp_path_factory.mktemp('multios-api-door')),
        '[fping]\nfping_path = /nonexistent/fping\n').start()
    yield server
    server.stop()


def client(testbed, api, user):
    token = testbed.clouds[0].session(user).get_token()
    return Client(api.url, token, secrets=tuple(testbed.passwords.values()))


@pytest.fixture(scope='module')
def member(testbed, api):
    return client(testbed, api, 'demo')


@pytest.fixture(scope='module')
def reader(testbed, api):
    return client(testbed, api, 'reader')


@pytest.fixture(scope='module')
def admin(testbed, api):
    return client(testbed, api, 'admin')


def demo_metadata(testbed):
    home = testbed.clouds[0]
    return helpers.owner_metadata(home.project_id('demo'),
                                  home.user_id('demo'))


@pytest.fixture(scope='module')
def demo_server(testbed):
    """One ACTIVE server of the demo project on beta -> (cloud, id)."""
    cloud = testbed.clouds[1]
    ids = helpers.create_servers(cloud, 'door-act-%s' % uuid.uuid4().hex[:6],
                                 metadata=demo_metadata(testbed))
    try:
        helpers.wait_active(cloud, ids)
        yield cloud, ids[0]
    finally:
        helpers.delete_servers(cloud, ids)


# Flavors and images ---------------------------------------------------------

@pytest.mark.parametrize('user', ['demo', 'reader', 'admin'])
def test_flavors_name_every_cloud_that_has_them(testbed, api, user):
    body = client(testbed, api, user).get(FED + '/flavors').json()
    assert body['errors'] == []
    truth = {}
    for cloud in testbed.clouds:
        for flavor in cloud.nova_client('admin').flavors.list():
            truth.setdefault(flavor.name, []).append(
                {'cloud': cloud.name, 'id': flavor.id, 'vcpus': flavor.vcpus,
                 'ram': flavor.ram, 'disk': flavor.disk})
    assert body['flavors'] == [{'name': name, 'clouds': truth[name]}
                               for name in sorted(truth)]


def test_images_name_every_cloud_that_has_them(reader, testbed):
    body = reader.get(FED + '/images').json()
    by_name = {image['name']: image['clouds'] for image in body['images']}
    for name, image_id in IMAGES.items():
        assert [(c['cloud'], c['id']) for c in by_name[name]] == [
            (cloud.name, image_id) for cloud in testbed.clouds]


def test_flavors_need_a_token(api):
    assert Client(api.url).get(FED + '/flavors').status_code == 401


# Pages ---------------------------------------------------------------------

def test_pages_over_three_clouds_hold_each_server_once_while_more_come(
        member, testbed):
    prefix = 'door-page-%s-' % uuid.uuid4().hex[:6]
    metadata = demo_metadata(testbed)
    made = {cloud.name: helpers.create_servers(
        cloud, prefix + cloud.name, count=2, metadata=metadata)
        for cloud in testbed.clouds}
    added = {cloud.name: [] for cloud in testbed.clouds}
    try:
        first = set(i for ids in made.values() for i in ids)
        assert len(first) == 6
        seen, path, pages = [], FED + '/servers?name=%s&limit=2' % (
            '%5E' + prefix), 0
        while path:
            body = member.get(path).json()
            assert body['errors'] == [] and len(body['servers']) <= 2
            seen += body['servers']
            pages += 1
            links = body.get('servers_links', [])
            path = links[0]['href'][len(member.url):] if links else None
            # A server appears on a cloud between two pages.
            cloud = testbed.clouds[pages % 3]
            added[cloud.name] += helpers.create_servers(
                cloud, prefix + 'late-%d' % pages, metadata=metadata)
        ids = [server['id'] for server in seen]
        assert len(ids) == len(set(ids)), 'a server was on two pages'
        assert first <= set(ids), 'a server was on no page'
        keys = [(server['created'], server['id']) for server in seen]
        assert keys == sorted(keys, reverse=True)
        assert pages >= 3
        everything = member.get(FED + '/servers?name=%5E' + prefix).json()[
            'servers']
        assert len(everything) == 6 + sum(map(len, added.values()))
    finally:
        for cloud in testbed.clouds:
            helpers.delete_servers(cloud, made.get(cloud.name, []) +
                                   added[cloud.name])


def test_sort_dir_asc_pages_back_over_the_same_pages(member, testbed):
    """Nova's sort_dir=asc from a page's first server: the page before it,
    oldest first; back to the first page, the pages are the same.
    """
    prefix = 'door-back-%s-' % uuid.uuid4().hex[:6]
    made = {cloud: helpers.create_servers(
        cloud, prefix + cloud.name, count=2, metadata=demo_metadata(testbed))
        for cloud in testbed.clouds}
    query = FED + '/servers?name=%s&limit=2' % ('%5E' + prefix)
    try:
        forth, path = [], query
        while path:
            body = member.get(path).json()
            forth.append([server['id'] for server in body['servers']])
            links = body.get('servers_links', [])
            path = links[0]['href'][len(member.url):] if links else None
        back = [forth[-1]]
        while True:
            body = member.get(query + '&sort_dir=asc&marker=%s'
                              % back[-1][0]).json()
            if not body['servers']:
                break
            back.append([server['id'] for server in body['servers']][::-1])
        assert len(forth) == 3 and back[::-1] == forth, (forth, back)
    finally:
        for cloud, ids in made.items():
            helpers.delete_servers(cloud, ids)


def test_a_show_naming_its_cloud_asks_that_cloud_only(member, demo_server,
                                                      testbed):
    cloud, server_id = demo_server
    stopped = testbed.clouds[2]
    with stopped.broken('stop'):
        shown = member.get(FED + '/servers/%s?cloud=%s' % (
            server_id, cloud.name)).json()['server']
        assert (shown['id'], shown['cloud']) == (server_id, cloud.name)
        # A server that is on no cloud: the stopped one may hold it, unless
        # the caller names the cloud to ask.
        missing = uuid.uuid4()
        assert stopped.name in fault(member.get(FED + '/servers/%s' % missing),
                                     'serviceUnavailable', 503)
        fault(member.get(FED + '/servers/%s?cloud=%s' % (missing, cloud.name)),
              'itemNotFound', 404)
    fault(member.get(FED + '/servers/%s?cloud=%s' % (
        server_id, testbed.clouds[0].name)), 'itemNotFound', 404)
    assert 'nowhere' in fault(member.get(
        FED + '/servers/%s?cloud=nowhere' % server_id), 'itemNotFound', 404)


def test_filters_and_nova_fields_match_novaclient(member, demo_server,
                                                  testbed):
    cloud, server_id = demo_server
    truth = cloud.nova_client('admin').servers.get(server_id)
    body = member.get(FED + '/servers?status=active&cloud=%s&name=%s' % (
        cloud.name, truth.name)).json()
    listed, = [s for s in body['servers'] if s['id'] == server_id]
    for field in ('task_state', 'vm_state', 'power_state'):
        key = 'OS-EXT-STS:' + field
        assert listed[key] == getattr(truth, key), key
    assert (listed['status'], listed['created'], listed['fault']) == (
        truth.status, truth.created, None)
    other = member.get(FED + '/servers?status=SHUTOFF&name=%s'
                       % truth.name).json()['servers']
    assert server_id not in [s['id'] for s in other]


def test_a_marker_of_no_server_is_novas_400(member):
    assert fault(member.get(FED + '/servers?marker=%s' % uuid.uuid4()),
                 'badRequest', 400).startswith('marker [')


def test_bad_paging_parameters(member):
    assert 'limit' in fault(member.get(FED + '/servers?limit=-3'),
                            'badRequest', 400)
    assert 'sort_key' in fault(member.get(FED + '/servers?sort_key=x'),
                               'badRequest', 400)


# Show with attempts ---------------------------------------------------------

def test_show_has_the_attempts_of_the_launch(member, admin):
    launched = api_server.launch(member, FED)
    try:
        shown = member.get(FED + '/servers/' + launched['id']).json()[
            'server']
        assert shown['attempts'] == launched['attempts']
        assert shown['launch_id'].startswith('req-')
        assert shown['OS-EXT-STS:power_state'] == RUNNING
        # The ranking it was placed by, kept with the launch.
        placement = member.get(FED + '/launches/' + shown['launch_id']).json(
        )['launch']['placement']
        assert placement['plan'] == [launched['cloud']]
        assert launched['cloud'] in [c['cloud'] for c in placement['ranked']]
    finally:
        api_server.delete_quietly(admin, FED, launched['id'])


# Actions -------------------------------------------------------------------

def action(as_client, server_id, body):
    return as_client.post(FED + '/servers/%s/action' % server_id, body)


def wait_nova(cloud, server_id, status, power_state):
    nova = cloud.nova_client('admin')
    deadline = time.monotonic() + ACTION_TIMEOUT
    while True:
        server = nova.servers.get(server_id)
        if (server.status, getattr(server, 'OS-EXT-STS:power_state')) == (
                status, power_state) and not getattr(
                    server, 'OS-EXT-STS:task_state'):
            return server
        assert time.monotonic() < deadline, (server.status, getattr(
            server, 'OS-EXT-STS:power_state'))
        time.sleep(0.5)


def actions_in_nova(cloud, server_id):
    return [a.action for a in cloud.nova_client(
        'admin').instance_action.list(server_id)]


def test_stop_start_and_reboot_as_novaclient_sees_them(member, demo_server):
    cloud, server_id = demo_server
    path = FED + '/servers/' + server_id

    response = action(member, server_id, {'os-stop': None})
    assert (response.status_code, response.content) == (202, b'')
    wait_nova(cloud, server_id, 'SHUTOFF', SHUTDOWN)
    assert member.get(path).json()['server'][
        'OS-EXT-STS:power_state'] == SHUTDOWN
    # Nova's own refusal, its message kept.
    assert 'vm_state stopped' in fault(
        action(member, server_id, {'os-stop': None}),
        'conflictingRequest', 409)

    assert action(member, server_id,
                  {'reboot': {'type': 'HARD'}}).status_code == 202
    wait_nova(cloud, server_id, 'ACTIVE', RUNNING)

    assert action(member, server_id, {'os-stop': None}).status_code == 202
    wait_nova(cloud, server_id, 'SHUTOFF', SHUTDOWN)
    assert action(member, server_id, {'os-start': None}).status_code == 202
    wait_nova(cloud, server_id, 'ACTIVE', RUNNING)

    before = actions_in_nova(cloud, server_id).count('reboot')
    assert action(member, server_id,
                  {'reboot': {'type': 'SOFT'}}).status_code == 202
    wait_nova(cloud, server_id, 'ACTIVE', RUNNING)
    assert actions_in_nova(cloud, server_id).count('reboot') == before + 1
    assert {'stop', 'start'} <= set(actions_in_nova(cloud, server_id))


def test_console_output_is_novas(member, demo_server):
    cloud, server_id = demo_server
    nova = cloud.nova_client('admin')
    response = action(member, server_id, {'os-getConsoleOutput': {}})
    assert response.status_code == 200
    assert response.json() == {'output': nova.servers.get_console_output(
        server_id)}
    last = action(member, server_id,
                  {'os-getConsoleOutput': {'length': 1}}).json()['output']
    assert last == nova.servers.get_console_output(server_id, length=1)


@pytest.mark.parametrize('body', [
    {'os-stop': None}, {'os-start': None}, {'reboot': {'type': 'SOFT'}},
    {'os-getConsoleOutput': {}}])
def test_a_reader_is_refused_every_action(reader, demo_server, body):
    _cloud, server_id = demo_server
    assert "Policy doesn't allow" in fault(action(reader, server_id, body),
                                           'forbidden', 403)


def test_what_a_reader_may_and_may_not_do(reader, demo_server):
    _cloud, server_id = demo_server
    assert server_id in [s['id'] for s in reader.get(FED + '/servers').json()[
        'servers']]
    assert reader.get(FED + '/servers/' + server_id).status_code == 200
    assert reader.post(FED + '/placement', api_server.LAUNCH).status_code == \
        200
    fault(reader.post(FED + '/servers', api_server.LAUNCH), 'forbidden', 403)
    fault(reader.delete(FED + '/servers/' + server_id), 'forbidden', 403)
    assert 'all_tenants' in fault(
        reader.get(FED + '/servers?all_tenants=1'), 'forbidden', 403)


def test_another_projects_server_is_not_found(member, admin, testbed):
    cloud = testbed.clouds[2]
    home = testbed.clouds[0]
    ids = helpers.create_servers(
        cloud, 'door-admins-%s' % uuid.uuid4().hex[:6],
        metadata=helpers.owner_metadata(home.project_id('admin'),
                                        home.user_id('admin')))
    try:
        helpers.wait_active(cloud, ids)
        server_id = ids[0]
        fault(member.get(FED + '/servers/' + server_id), 'itemNotFound', 404)
        for body in ({'os-stop': None}, {'os-getConsoleOutput': {}}):
            fault(action(member, server_id, body), 'itemNotFound', 404)
        assert action(admin, server_id, {'os-stop': None}).status_code == 202
        wait_nova(cloud, server_id, 'SHUTOFF', SHUTDOWN)
    finally:
        helpers.delete_servers(cloud, ids)


def test_an_unknown_action_and_a_bad_reboot(member, demo_server):
    _cloud, server_id = demo_server
    assert fault(action(member, server_id, {'os-pause': None}), 'badRequest',
                 400) == 'There is no such action: os-pause'
    assert 'reboot.type' in fault(
        action(member, server_id, {'reboot': {'type': 'WARM'}}),
        'badRequest', 400)
