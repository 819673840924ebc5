# SPDX-License-Identifier: Apache-2.0
"""Pages, actions, flavors and images through the shipped pipeline, core
mocked: what the API itself parses, decides and answers."""

import json

import pytest

from multios import exception
from multios import federation
from multios import listing

from tests.unit import api_helpers

FED = '/v1/os-federation'
UUID = '6f0f62a5-8ef4-4b6e-9d43-9b1d3c3c1f0a'
READER = {'project_id': 'p-member', 'user_id': 'u-reader',
          'roles': 'reader'}


@pytest.fixture
def api():
    return api_helpers.mocked_api()


call = api_helpers.call


def message(response, name, code):
    assert response.status_int == code, response.text
    body = response.json
    assert list(body) == [name] and body[name]['code'] == code
    return body[name]['message']


def server(server_id=UUID, project_id='p-member'):
    return federation.Server(id=server_id, name='vm', cloud='beta',
                             status='ACTIVE', project_id=project_id)


# Pages ---------------------------------------------------------------------

def test_filters_limit_and_marker_reach_the_core(api):
    api.launches.list_servers.return_value = listing.Page()
    response = call(api, FED + '/servers?name=%5Eweb&status=ACTIVE&'
                    'status=shutoff&limit=2&marker=m1&cloud=beta')
    assert response.status_int == 200, response.text
    assert api.launches.list_servers.call_args.kwargs == {
        'all_tenants': False, 'cloud': 'beta', 'query': listing.Query(
            name='^web', status=('ACTIVE', 'SHUTOFF'), limit=2,
            marker='m1')}
    assert 'servers_links' not in response.json


def test_a_page_with_more_links_to_the_next_one_as_nova(api):
    api.launches.list_servers.return_value = listing.Page(
        items=[server('s2'), server('s1')], next_marker='s1')
    response = call(api, FED + '/servers?status=ACTIVE&limit=2&marker=s3')
    assert [s['id'] for s in response.json['servers']] == ['s2', 's1']
    assert response.json['servers_links'] == [{
        'rel': 'next', 'href': 'http://localhost/v1/os-federation/servers'
        '?status=ACTIVE&limit=2&marker=s1'}]


@pytest.mark.parametrize('limit, expected', [(None, 7), ('3', 3),
                                             ('50', 7), ('0', 0)])
def test_limit_is_capped_by_max_limit(limit, expected):
    application, backend = api_helpers.load(api_helpers.make_conf(
        max_limit=7))
    backend.launches.list_servers.return_value = listing.Page()
    query = '' if limit is None else '?limit=' + limit
    assert api_helpers.request(application, FED + '/servers' +
                               query).status_int == 200
    assert backend.launches.list_servers.call_args.kwargs[
        'query'].limit == expected


@pytest.mark.parametrize('query, text', [
    ('limit=-1', 'query parameters limit. Value: \'-1\''),
    ('limit=x', 'query parameters limit. Value: \'x\''),
    ('limit=1&limit=2', "query parameters limit. Value: ['1', '2']. It "
                        "may be given once only."),
    ('sort_key=name', "query parameters. Additional properties are not "
                      "allowed ('sort_key' was unexpected)"),
    ('name=' + 'x' * 300, 'query parameters name.'),
])
def test_bad_query_parameters_are_named(api, query, text):
    response = call(api, FED + '/servers?' + query)
    assert text in message(response, 'badRequest', 400)
    api.launches.list_servers.assert_not_called()


def test_unknown_marker_is_a_bad_request(api):
    api.launches.list_servers.side_effect = exception.MarkerNotFound(
        marker='gone')
    assert message(call(api, FED + '/servers?marker=gone'), 'badRequest',
                   400) == 'marker [gone] not found'


def test_show_has_the_attempts(api):
    shown = server()
    shown.attempts = [{'cloud': 'alpha', 'outcome': 'quota',
                       'reason': 'Quota exceeded'}]
    api.launches.get_server.return_value = shown
    body = call(api, FED + '/servers/' + UUID).json['server']
    assert body['attempts'] == shown.attempts
    assert 'OS-EXT-STS:power_state' in body


def test_show_on_a_named_cloud_asks_that_cloud_only(api):
    api.launches.get_server.return_value = server()
    assert call(api, FED + '/servers/%s?cloud=beta' % UUID).status_int == 200
    assert api.launches.get_server.call_args.kwargs == {'cloud': 'beta'}
    assert 'Additional properties are not allowed' in message(
        call(api, FED + '/servers/%s?cluod=beta' % UUID), 'badRequest', 400)


def test_sort_dir_asc_reaches_the_core_and_its_next_link(api):
    api.launches.list_servers.return_value = listing.Page(
        items=[server('s2')], next_marker='s2')
    response = call(api, FED + '/servers?limit=1&marker=s1&sort_dir=asc')
    assert api.launches.list_servers.call_args.kwargs['query'] == \
        listing.Query(limit=1, marker='s1', sort_dir='asc')
    assert response.json['servers_links'][0]['href'].endswith(
        '?limit=1&sort_dir=asc&marker=s2')
    assert "sort_dir. Value: 'up'. It is not one of ['asc', 'desc']" in \
        message(call(api, FED + '/servers?sort_dir=up'), 'badRequest', 400)


# Actions -------------------------------------------------------------------

def action(api, body, caller=api_helpers.MEMBER):
    return call(api, FED + '/servers/%s/action' % UUID, method='POST',
                body=json.dumps(body), caller=caller)


@pytest.mark.parametrize('body, method, args', [
    ({'os-start': None}, 'start_server', ()),
    ({'os-stop': None}, 'stop_server', ()),
    ({'reboot': {'type': 'SOFT'}}, 'reboot_server', ('SOFT',)),
    ({'reboot': {'type': 'hard'}}, 'reboot_server', ('HARD',)),
])
def test_power_actions_answer_202_without_body(api, body, method, args):
    api.fed.get_server.return_value = server()
    response = action(api, body)
    assert response.status_int == 202 and response.body == b''
    assert getattr(api.fed, method).call_args.args == (server(),) + args


@pytest.mark.parametrize('length, passed', [
    (None, None), (5, 5), ('5', 5), (-1, None)])
def test_console_output(api, length, passed):
    api.fed.get_server.return_value = server()
    api.fed.console_output.return_value = 'login: '
    response = action(api, {'os-getConsoleOutput': {'length': length}})
    assert response.status_int == 200
    assert response.json == {'output': 'login: '}
    assert api.fed.console_output.call_args.args == (server(), passed)


@pytest.mark.parametrize('body', [
    {'os-start': None}, {'reboot': {'type': 'SOFT'}},
    {'os-getConsoleOutput': {}}])
def test_a_reader_may_not_act(api, body):
    api.fed.get_server.return_value = server()
    name = next(iter(body))
    rule = {'os-start': 'start', 'reboot': 'reboot',
            'os-getConsoleOutput': 'console_output'}[name]
    assert message(action(api, body, caller=READER), 'forbidden', 403) == (
        "Policy doesn't allow os_compute_api:os-federation:servers:%s to "
        "be performed." % rule)


def test_an_admin_acts_on_any_projects_server(api):
    api.fed.get_server.return_value = server(project_id='p-other')
    assert action(api, {'os-stop': None},
                  caller=api_helpers.ADMIN).status_int == 202
    assert message(action(api, {'os-stop': None}), 'forbidden', 403)


@pytest.mark.parametrize('body, text', [
    ({'os-reset': None}, 'There is no such action: os-reset'),
    ({}, 'Malformed request body.'),
    ({'reboot': {'type': 'WARM'}}, 'field/attribute reboot.type.'),
    ({'reboot': {}}, "'type' is a required property"),
    ({'os-start': {}}, 'field/attribute os-start.'),
    ({'os-start': None, 'os-stop': None}, "'os-stop' was unexpected"),
    ({'os-getConsoleOutput': {'length': 'x'}}, 'length'),
    ({'os-getConsoleOutput': {'length': -2}}, 'length'),
    ({'os-getConsoleOutput': {'length': '-7'}}, 'length'),
])
def test_bad_action_bodies_name_what_is_wrong(api, body, text):
    assert text in message(action(api, body), 'badRequest', 400)
    api.fed.get_server.assert_not_called()


def test_novas_conflict_is_a_conflicting_request(api):
    api.fed.get_server.return_value = server()
    api.fed.start_server.side_effect = exception.Conflict(
        reason="Cannot 'start' instance while it is in vm_state active")
    assert 'vm_state active' in message(action(api, {'os-start': None}),
                                        'conflictingRequest', 409)


def test_another_projects_server_is_not_found(api):
    api.fed.get_server.side_effect = exception.ServerNotFound(
        server_id=UUID)
    message(action(api, {'os-stop': None}), 'itemNotFound', 404)


# Flavors and images ----------------------------------------------------------

@pytest.mark.parametrize('resource, method', [('flavors', 'flavors_by_name'),
                                              ('images', 'images_by_name')])
def test_catalog_by_name_with_errors_for_readers(api, resource, method):
    items = [{'name': 'x', 'clouds': [{'cloud': 'alpha', 'id': '1'}]}]
    getattr(api.fed, method).return_value = federation.Result(
        items=items, errors=[federation.CloudError('beta', 'hung')])
    response = call(api, FED + '/' + resource, caller=READER)
    assert response.json == {resource: items, 'errors': [
        {'cloud': 'beta', 'reason': 'hung'}]}
    response = call(api, FED + '/' + resource, caller={
        'project_id': 'p', 'user_id': 'u', 'roles': 'other'})
    message(response, 'forbidden', 403)
