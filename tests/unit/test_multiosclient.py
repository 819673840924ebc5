# SPDX-License-Identifier: Apache-2.0
"""multiosclient against the real API pipeline (core mocked), in process.

wsgi-intercept hands the requests the client's keystoneauth Session sends
to the shipped paste pipeline: what is checked is the client and the API
agreeing on paths, bodies and faults, not a copy of either.
"""

import types

from keystoneauth1 import access
from keystoneauth1 import fixture
from keystoneauth1.identity import access as access_plugin
from keystoneauth1 import session as ks_session
import pytest
from wsgi_intercept import interceptor

from multios import exception
from multios import federation
from multios import listing
from multiosclient import client as mclient
from multiosclient import exceptions
from multiosclient.v1 import servers
from tests.unit import api_helpers

HOST = 'multios.test'
URL = 'http://%s/v1' % HOST
UUID = '6f0f62a5-8ef4-4b6e-9d43-9b1d3c3c1f0a'
IDENTITY = {'X-Identity-Status': 'Confirmed', 'X-Project-Id': 'p-member',
            'X-User-Id': 'u-member', 'X-Roles': 'member,reader'}


@pytest.fixture
def api():
    application, backend = api_helpers.load()
    with interceptor.RequestsInterceptor(app=lambda: application, host=HOST):
        yield types.SimpleNamespace(backend=backend,
                                    fed=backend.federation,
                                    launches=backend.launches)


def catalog_session(url=URL):
    """A Session whose token's catalog has the multios service at url."""
    token = fixture.V3Token()
    token.add_service('multios').add_standard_endpoints(public=url)
    auth_ref = access.create(body=token, auth_token='a-token')
    return ks_session.Session(auth=access_plugin.AccessInfoPlugin(auth_ref))


@pytest.fixture
def client():
    return mclient.Client(catalog_session(), additional_headers=IDENTITY)


def server(server_id=UUID, name='vm'):
    return federation.Server(id=server_id, name=name, cloud='beta',
                             status='ACTIVE', project_id='p-member')


def test_the_endpoint_comes_from_the_catalog(api, client):
    api.fed.cloud_status.return_value = []
    assert list(client.clouds.list()) == []
    assert client.http.get_endpoint() == URL


def test_an_endpoint_override_wins(api):
    overridden = mclient.Client(catalog_session('http://elsewhere.test/v1'),
                                endpoint_override=URL,
                                additional_headers=IDENTITY)
    api.fed.cloud_status.return_value = []
    assert list(overridden.clouds.list()) == []


def test_list_follows_every_next_link(api, client):
    pages = {None: listing.Page(items=[server('s3'), server('s2')],
                                next_marker='s2',
                                errors=[federation.CloudError('g', 'hung')]),
             's2': listing.Page(items=[server('s1')],
                                errors=[federation.CloudError('g', 'hung')])}
    api.launches.list_servers.side_effect = (
        lambda context, all_tenants, cloud, query: pages[query.marker])
    servers = client.servers.list(status='ACTIVE')
    assert [s.id for s in servers] == ['s3', 's2', 's1']
    assert servers.errors == [{'cloud': 'g', 'reason': 'hung'}]
    assert servers.next_marker is None
    queries = [c.kwargs['query'] for c in
               api.launches.list_servers.call_args_list]
    assert [(q.status, q.marker) for q in queries] == [
        (('ACTIVE',), None), (('ACTIVE',), 's2')]


def test_one_page_with_a_limit(api, client):
    api.launches.list_servers.return_value = listing.Page(
        items=[server('s3')], next_marker='s3')
    page = client.servers.list(limit=1, name='^vm')
    assert ([s.id for s in page], page.next_marker) == (['s3'], 's3')
    query = api.launches.list_servers.call_args.kwargs['query']
    assert (query.limit, query.name) == (1, '^vm')


def test_nova_fields_read_as_novaclient_reads_them(api, client):
    shown = server()
    shown.power_state = 4
    shown.attempts = []
    api.launches.get_server.return_value = shown
    got = client.servers.get(UUID)
    assert getattr(got, 'OS-EXT-STS:power_state') == 4
    assert got.attempts == [] and got.to_dict()['id'] == UUID


def test_actions(api, client):
    api.fed.get_server.return_value = server()
    api.fed.console_output.return_value = 'login: '
    client.servers.stop(UUID)
    client.servers.start(UUID)
    client.servers.reboot(UUID, 'HARD')
    assert client.servers.get_console_output(UUID, 10) == 'login: '
    assert api.fed.reboot_server.call_args.args == (server(), 'HARD')
    assert api.fed.console_output.call_args.args == (server(), 10)
    assert api.fed.stop_server.called and api.fed.start_server.called


def test_launch_and_follow(api, client):
    launch = {'id': 'req-1', 'status': 'building', 'project_id': 'p-member',
              'servers': []}
    api.launches.accept.return_value = launch
    api.launches.get.return_value = launch
    assert client.servers.create('vm', 'm1.tiny', 'cirros', count=2).id == \
        'req-1'
    request = api.launches.accept.call_args.args[1]
    assert (request.name, request.flavor, request.image, request.count) == (
        'vm', 'm1.tiny', 'cirros', 2)
    assert client.launches.get('req-1').status == 'building'


def test_flavors_images_and_fping_lists_keep_their_errors(api, client):
    api.fed.flavors_by_name.return_value = federation.Result(
        items=[{'name': 'm1.tiny', 'clouds': [{'cloud': 'a', 'id': '1'}]}],
        errors=[federation.CloudError('b', 'down')])
    flavors = client.flavors.list()
    assert flavors[0].name == 'm1.tiny' and flavors[0].clouds == [
        {'cloud': 'a', 'id': '1'}]
    assert flavors.errors == [{'cloud': 'b', 'reason': 'down'}]


def test_a_fault_carries_status_message_and_request_id(api, client):
    api.launches.get_server.side_effect = exception.ServerNotFound(
        server_id=UUID)
    with pytest.raises(exceptions.NotFound) as raised:
        client.servers.get(UUID)
    error = raised.value
    assert error.status == 404
    assert error.message == 'Server %s could not be found.' % UUID
    assert error.request_id.startswith('req-')
    assert error.request_id in str(error) and '404' in str(error)


@pytest.mark.parametrize('error, cls, status', [
    (exception.Invalid(reason='x'), exceptions.BadRequest, 400),
    (exception.Conflict(reason='x'), exceptions.Conflict, 409),
    (exception.CloudUnavailable(name='a', reason='x'),
     exceptions.ServiceUnavailable, 503),
    (RuntimeError('x'), exceptions.InternalServerError, 500),
])
def test_each_status_has_its_exception(api, client, error, cls, status):
    api.fed.cloud_status.side_effect = error
    with pytest.raises(cls) as raised:
        client.clouds.list()
    assert raised.value.status == status


def test_a_reader_is_refused_what_policy_forbids(api):
    reader = mclient.Client(catalog_session(), additional_headers=dict(
        IDENTITY, **{'X-Roles': 'reader'}))
    api.fed.get_server.return_value = server()
    with pytest.raises(exceptions.Forbidden) as raised:
        reader.servers.stop(UUID)
    assert 'servers:stop' in raised.value.message


def test_get_on_a_named_cloud_and_the_way_back_through_pages(api, client):
    api.launches.get_server.return_value = server()
    client.servers.get(UUID, cloud='beta')
    assert api.launches.get_server.call_args.kwargs == {'cloud': 'beta'}
    api.launches.list_servers.return_value = listing.Page(
        items=[server('s2')], next_marker='s2')
    page = client.servers.list(limit=1, marker='s1', sort_dir='asc')
    assert page.next_marker == 's2'
    assert api.launches.list_servers.call_args.kwargs['query'] == \
        listing.Query(limit=1, marker='s1', sort_dir='asc')


ADMIN_IDENTITY = dict(IDENTITY, **{'X-Roles': 'admin,member,reader'})


def status(name, state='up'):
    return federation.CloudStatus(name, state, source='registered')


def test_an_admin_registers_changes_and_removes_a_cloud(api):
    admin = mclient.Client(catalog_session(),
                           additional_headers=ADMIN_IDENTITY)
    api.fed.clouds.return_value = []
    api.fed.cloud.return_value = types.SimpleNamespace(
        name='delta', settings=types.SimpleNamespace(source='registered'))
    api.fed.cloud_status.return_value = [status('delta')]
    made = admin.clouds.create('delta', 'http://127.0.0.1:2/v3', 'operator',
                               'Sup3r$ecret', 'admin', weight=2.5,
                               region_name=None)
    assert made.name == 'delta' and not hasattr(made, 'password')
    name, values, _ = api.backend.core.registry.register.call_args.args
    assert (name, values) == ('delta', {
        'auth_url': 'http://127.0.0.1:2/v3', 'username': 'operator',
        'password': 'Sup3r$ecret', 'project_name': 'admin', 'weight': 2.5})
    api.fed.cloud_status.return_value = [status('delta', 'disabled')]
    assert admin.clouds.update('delta', enabled=False).state == 'disabled'
    assert api.backend.core.registry.update.call_args.args == (
        'delta', {'enabled': False})
    admin.clouds.delete('delta')
    assert api.backend.core.registry.remove.call_args.args == ('delta',)


def test_a_configured_cloud_is_a_conflict_naming_its_file(api):
    admin = mclient.Client(catalog_session(),
                           additional_headers=ADMIN_IDENTITY)
    api.fed.cloud.return_value = types.SimpleNamespace(
        name='alpha', settings=types.SimpleNamespace(source='/etc/m.conf'))
    with pytest.raises(exceptions.Conflict) as raised:
        admin.clouds.delete('alpha')
    assert '/etc/m.conf' in raised.value.message


def test_a_launch_with_what_it_boots_with(api, client):
    launch = {'id': 'req-2', 'status': 'building', 'servers': []}
    api.launches.accept.return_value = launch
    api.backend.placement.rank.return_value = types.SimpleNamespace(
        to_dict=lambda: {'ranked': [], 'plan': []})
    options = dict(key_name='mykey', user_data='#!/bin/sh\necho hi',
                   security_groups=['web'], networks=['private'],
                   availability_zone='az1')
    client.servers.create('vm', 'm1.tiny', 'cirros', **options)
    client.placement.rank('vm', 'm1.tiny', 'cirros', count=2, **options)
    for request in (api.launches.accept.call_args.args[1],
                    api.backend.placement.rank.call_args.args[0]):
        assert (request.key_name, request.user_data, request.security_groups,
                request.networks, request.availability_zone) == (
            'mykey', 'IyEvYmluL3NoCmVjaG8gaGk=', ('web',), ('private',),
            'az1')
    assert api.backend.placement.rank.call_args.args[0].count == 2


def test_networks_auto_and_no_spec_leave_the_body_as_nova_s():
    assert servers.launch_body('vm', 'f', 'i') == {
        'server': {'name': 'vm', 'flavorRef': 'f', 'imageRef': 'i'}}
    assert servers.launch_body('vm', 'f', 'i', networks='auto')[
        'server']['networks'] == 'auto'
