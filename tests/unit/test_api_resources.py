# SPDX-License-Identifier: Apache-2.0
"""The REST resources through the shipped paste pipeline, core mocked."""

import json
import types

from unittest import mock

import pytest

from multios import exception
from multios import federation
from multios import listing

from tests.unit import api_helpers

FED = '/v1/os-federation'


def _status(name, state='up'):
    data = {'name': name, 'state': state, 'latency_ms': 3.0, 'reason': None,
            'usage': {'instances': {'used': 1, 'limit': 10}}}
    return types.SimpleNamespace(name=name, to_dict=lambda: data)


def _server(server_id='s1', project_id='p-member'):
    data = {'id': server_id, 'name': 'vm', 'cloud': 'alpha',
            'status': 'ACTIVE', 'project_id': project_id}
    return types.SimpleNamespace(id=server_id, project_id=project_id,
                                 name='vm', cloud='alpha', status='ACTIVE',
                                 to_dict=lambda: data)


@pytest.fixture
def api():
    return api_helpers.mocked_api()


call = api_helpers.call


def fault(response, name):
    """The detail of a Nova-shaped fault, checking its name and code."""
    body = response.json
    assert list(body) == [name]
    assert body[name]['code'] == response.status_int
    return body[name]


def test_versions_need_no_token_and_link_v1(api):
    response = call(api, '/', caller=None)
    assert response.status_int == 200
    version, = response.json['versions']
    assert version['id'] == 'v1' and version['status'] == 'CURRENT'
    assert version['links'][0]['href'] == 'http://localhost/v1/'
    assert response.headers['x-openstack-request-id'].startswith('req-')


def test_version_show_has_media_types(api):
    response = call(api, '/v1')
    assert response.json['version']['media-types'][0]['base'] == \
        'application/json'


def test_request_without_identity_is_unauthorized(api):
    response = call(api, FED + '/clouds', caller=None)
    assert response.status_int == 401
    fault(response, 'unauthorized')


def test_unknown_path_is_item_not_found_with_request_id(api):
    response = call(api, '/v1/os-nothing')
    assert response.status_int == 404
    fault(response, 'itemNotFound')
    assert response.headers['x-openstack-request-id'].startswith('req-')


@pytest.mark.parametrize('path, method, allowed', [
    (FED + '/clouds', 'PUT', 'GET, POST'),
    (FED + '/servers', 'DELETE', 'GET, POST'),
    (FED + '/servers/s1', 'POST', 'GET, DELETE'),
    (FED + '/placement', 'GET', 'POST'),
    ('/v1', 'POST', 'GET'),
    ('/', 'DELETE', 'GET'),
])
def test_wrong_method_is_bad_method_naming_the_allowed_ones(
        api, path, method, allowed):
    response = call(api, path, method=method)
    assert response.status_int == 405
    assert fault(response, 'badMethod')['message'] == (
        'The method %s is not allowed for this resource.' % method)
    assert response.headers['Allow'] == allowed


@pytest.mark.parametrize('path', ['/%80', '/v1/%80',
                                  FED + '/clouds/%80%ff'])
def test_path_bytes_that_are_no_utf8_are_not_found(api, path):
    api.fed.cloud.side_effect = exception.CloudNotFound(name='\ufffd')
    response = call(api, path)
    assert response.status_int == 404
    fault(response, 'itemNotFound')


def test_non_ascii_ids_in_the_path_are_read_as_utf8(api):
    api.launches.get_server.side_effect = lambda ctx, server_id, cloud: (
        _raise(exception.ServerNotFound(server_id=server_id)))
    response = call(api, FED + '/servers/%D1%81%D0%B5%D1%80%D0%B2%D0%B5%D1%80')
    assert fault(response, 'itemNotFound')['message'] == (
        'Server сервер could not be found.')
    assert api.launches.get_server.call_args.args[1] == 'сервер'


def _raise(error):
    raise error


def test_clouds_index(api):
    api.fed.cloud_status.return_value = [_status('alpha'), _status('beta')]
    response = call(api, FED + '/clouds')
    assert response.status_int == 200
    assert [c['name'] for c in response.json['clouds']] == ['alpha', 'beta']


def test_cloud_show(api):
    api.fed.cloud_status.return_value = [_status('alpha'),
                                         _status('beta', 'down')]
    response = call(api, FED + '/clouds/beta')
    assert response.json['cloud']['state'] == 'down'


def test_cloud_removed_while_asked_is_item_not_found(api):
    api.fed.cloud_status.return_value = [_status('alpha')]
    response = call(api, FED + '/clouds/beta')
    assert fault(response, 'itemNotFound')['message'] == \
        'Cloud beta could not be found.'


def test_unknown_cloud_is_item_not_found(api):
    api.fed.cloud.side_effect = exception.CloudNotFound(name='zeta')
    response = call(api, FED + '/clouds/zeta')
    assert response.status_int == 404
    assert fault(response, 'itemNotFound')['message'] == \
        'Cloud zeta could not be found.'


def test_placement_ranks_the_request(api):
    api.backend.placement.rank.return_value.to_dict.return_value = {
        'ranked': [{'cloud': 'alpha', 'score': 1.0}], 'rejected': []}
    body = {'server': {'name': 'vm', 'flavorRef': 'm1.tiny',
                       'imageRef': 'cirros', 'cloud': 'alpha'}}
    response = call(api, FED + '/placement', method='POST',
                    body=json.dumps(body))
    assert response.status_int == 200
    assert response.json['placement']['ranked'][0]['cloud'] == 'alpha'
    request, = api.backend.placement.rank.call_args.args
    assert (request.name, request.flavor, request.image, request.count,
            request.cloud) == ('vm', 'm1.tiny', 'cirros', 1, 'alpha')


@pytest.mark.parametrize('body, message', [
    ('{"server": ', 'Malformed request body.'),
    ('{"server": {"name": "vm", "flavorRef": "1", "imageRef": "c", '
     '"count": "two"}}',
     "Invalid input for field/attribute server.count. Value: 'two'. It is "
     "not of type 'integer'."),
    ('{"server": {"name": "vm", "flavorRef": "1", "imageRef": "c", '
     '"count": "3"}}',
     "Invalid input for field/attribute server.count. Value: '3'. It is "
     "not of type 'integer'."),
    ('{"server": {"name": "%s", "flavorRef": "1", "imageRef": "c"}}'
     % ('x' * 300),
     "Invalid input for field/attribute server.name. Value: '%s'\u2026 "
     "(300 characters). It must be 1 to 255 printable characters, not "
     "starting or ending with whitespace." % ('x' * 60)),
    ('{"server": {"name": "vm", "flavorRef": "%s", "imageRef": "c"}}'
     % ('f' * 256),
     "Invalid input for field/attribute server.flavorRef. Value: '%s'"
     "\u2026 (256 characters). It is longer than 255 characters."
     % ('f' * 60)),
    ('{"server": {"name": "vm", "imageRef": "c"}}',
     "Invalid input for field/attribute server. 'flavorRef' is a required "
     "property"),
    ('{"server": {"name": "vm", "flavorRef": "1", "imageRef": "c", '
     '"colour": "red"}}',
     "Invalid input for field/attribute server. Additional properties are "
     "not allowed ('colour' was unexpected)"),
    ('[]', "Invalid input for field/attribute body. Value: []. It is not "
     "of type 'object'."),
    ('[' * 50000, 'Malformed request body.'),
    ('{"server": {"name": "vm", "flavorRef": "1", "imageRef": "c", '
     '"count": 1%s}}' % ('0' * 5000), 'Malformed request body.'),
    (b'{"server": {"name": "\xff"}}', 'Malformed request body.'),
])
def test_bad_placement_body_names_the_field(api, body, message):
    response = call(api, FED + '/placement', method='POST', body=body)
    assert response.status_int == 400
    assert fault(response, 'badRequest')['message'] == message
    api.backend.placement.rank.assert_not_called()


@pytest.mark.parametrize('name', [
    'vm\n', 'vm ', ' vm', '\u00a0vm', 'v\tm', 'v\x00m', '\ud800',
    'vm\u200b', '\U0001f600'])
def test_names_nova_refuses_are_bad_requests(api, name):
    body = json.dumps({'server': {'name': name, 'flavorRef': '1',
                                  'imageRef': 'c'}})
    for path in ('/placement', '/servers'):
        response = call(api, FED + path, method='POST', body=body)
        assert response.status_int == 400
        message = fault(response, 'badRequest')['message']
        assert message == (
            'Invalid input for field/attribute server.name. Value: %r. It '
            'must be 1 to 255 printable characters, not starting or ending '
            'with whitespace.' % name)
    api.backend.placement.rank.assert_not_called()
    api.backend.launches.accept.assert_not_called()


@pytest.mark.parametrize('name', [
    'vm', 'a b', 'сервер', 'x' * 255, 'vm-1.2_3'])
def test_names_nova_takes_pass(api, name):
    api.backend.placement.rank.return_value.to_dict.return_value = {}
    body = json.dumps({'server': {'name': name, 'flavorRef': '1',
                                  'imageRef': 'c'}})
    response = call(api, FED + '/placement', method='POST', body=body)
    assert response.status_int == 200, response.text
    assert api.backend.placement.rank.call_args.args[0].name == name


def test_body_that_is_not_json_is_bad_media_type(api):
    response = call(api, FED + '/placement', method='POST',
                    body=b'name=vm', content_type='text/plain')
    assert response.status_int == 415
    fault(response, 'badMediaType')


def test_oversize_body_is_over_limit(api):
    body = json.dumps({'server': {'name': 'x' * 200000}})
    response = call(api, FED + '/placement', method='POST', body=body)
    assert response.status_int == 413
    fault(response, 'overLimit')
    api.backend.placement.rank.assert_not_called()


def test_servers_index_for_the_caller(api):
    api.launches.list_servers.return_value = listing.Page(
        items=[_server()],
        errors=[federation.CloudError(cloud='beta', reason='timed out')])
    response = call(api, FED + '/servers?cloud=alpha')
    assert response.json == {
        'servers': [_server().to_dict()],
        'errors': [{'cloud': 'beta', 'reason': 'timed out'}]}
    context = api.launches.list_servers.call_args.args[0]
    assert (context.project_id, context.user_id, context.is_admin) == (
        'p-member', 'u-member', False)
    assert context.request_id == response.headers['x-openstack-request-id']
    assert api.launches.list_servers.call_args.kwargs == {
        'all_tenants': False, 'cloud': 'alpha',
        'query': listing.Query(limit=1000)}


def test_all_tenants_is_forbidden_to_members(api):
    response = call(api, FED + '/servers?all_tenants=1')
    assert response.status_int == 403
    assert fault(response, 'forbidden')['message'] == (
        "Policy doesn't allow "
        "os_compute_api:os-federation:servers:index:all_tenants to be "
        "performed.")
    api.launches.list_servers.assert_not_called()


@pytest.mark.parametrize('query', ['all_tenants', 'all_tenants=1',
                                   'all_tenants=true'])
def test_all_tenants_for_admins(api, query):
    api.launches.list_servers.return_value = listing.Page()
    response = call(api, FED + '/servers?' + query, caller=api_helpers.ADMIN)
    assert response.status_int == 200
    assert api.launches.list_servers.call_args.args[0].is_admin
    assert api.launches.list_servers.call_args.kwargs['all_tenants'] is True


def test_bad_all_tenants_value_is_bad_request(api):
    response = call(api, FED + '/servers?all_tenants=maybe',
                    caller=api_helpers.ADMIN)
    assert response.status_int == 400
    assert 'all_tenants' in fault(response, 'badRequest')['message']


def test_server_show(api):
    api.launches.get_server.return_value = _server('s1')
    response = call(api, FED + '/servers/s1')
    assert response.json['server']['id'] == 's1'
    assert api.launches.get_server.call_args.args[1] == 's1'


def test_unknown_server_is_item_not_found(api):
    api.launches.get_server.side_effect = exception.ServerNotFound(
        server_id='x')
    response = call(api, FED + '/servers/x')
    assert fault(response, 'itemNotFound')['message'] == \
        'Server x could not be found.'


def _launch(status='building', project_id='p-member'):
    return {'id': 'req-1', 'status': status, 'project_id': project_id,
            'servers': [{'name': 'vm', 'cloud': 'beta', 'id': None,
                         'status': 'BUILD', 'attempts': [],
                         'task': 'launching on beta, attempt 1 of 3'}]}


def test_launch_answers_202_at_once_with_the_launch_and_its_location(api):
    api.launches.accept.return_value = _launch()
    body = {'server': {'name': 'vm', 'flavorRef': 1, 'imageRef': 'cirros'}}
    response = call(api, FED + '/servers', method='POST',
                    body=json.dumps(body))
    assert response.status_int == 202
    assert response.json == {'launch': _launch()}
    assert response.headers['Location'] == (
        'http://localhost/v1/os-federation/launches/req-1')
    context, request = api.launches.accept.call_args.args
    assert (request.name, request.flavor, request.count) == ('vm', '1', 1)
    assert context.project_id == 'p-member'


KEY = ('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIdnvJqoq1oQFBF65R9tFWPBZFbHK'
       'nPI6WZ5VjpKrGyT me@laptop')


def test_launch_body_names_what_to_boot_with(api):
    api.launches.accept.return_value = _launch()
    body = {'server': {
        'name': 'vm', 'flavorRef': 'm1', 'imageRef': 'c', 'public_key': KEY,
        'user_data': 'I2Nsb3VkLWNvbmZpZwo=',
        'security_groups': [{'name': 'web'}, {'name': 'ssh'}],
        'networks': [{'name': 'lan'}], 'availability_zone': 'az2'}}
    response = call(api, FED + '/servers', method='POST',
                    body=json.dumps(body), headers={'X-Auth-Token': 'tok-1'})
    assert response.status_int == 202, response.text
    context, request = api.launches.accept.call_args.args
    assert (request.public_key, request.key_name, request.user_data,
            request.security_groups, request.networks,
            request.availability_zone) == (
        KEY, None, 'I2Nsb3VkLWNvbmZpZwo=', ('web', 'ssh'), ('lan',), 'az2')
    # The caller's token goes to the core, which reads a home key pair
    # with it; it is never shown.
    assert context.auth_token == 'tok-1'
    assert 'tok-1' not in repr(context)
    body = {'server': {'name': 'vm', 'flavorRef': 'm1', 'imageRef': 'c',
                       'key_name': 'my key-1', 'networks': 'auto'}}
    call(api, FED + '/servers', method='POST', body=json.dumps(body))
    _context, request = api.launches.accept.call_args.args
    assert (request.key_name, request.networks,
            request.security_groups) == ('my key-1', (), ())


@pytest.mark.parametrize('server, message', [
    ({'public_key': 'ssh-rsa nope'},
     "Invalid input for field/attribute server.public_key. Value: 'ssh-rsa "
     "nope'. It must be one OpenSSH public key (\"ssh-ed25519 AAAA... "
     "comment\")."),
    ({'user_data': 'A' * 65536},
     "Invalid input for field/attribute server.user_data. Value: '%s'\u2026 "
     "(65536 characters). It is longer than 65535 characters." % ('A' * 60)),
    ({'user_data': 'abc'},
     "Invalid input for field/attribute server.user_data. Value: 'abc'. It "
     "must be base64 text."),
    ({'key_name': 'a/b'},
     "Invalid input for field/attribute server.key_name. Value: 'a/b'. It "
     "does not match '^[_\\\\-\\\\@\\\\. a-zA-Z0-9]+$'."),
    ({'security_groups': ['web']},
     "Invalid input for field/attribute server.security_groups.0. Value: "
     "'web'. It is not of type 'object'."),
])
def test_bad_launch_spec_names_the_field(api, server, message):
    body = {'server': dict({'name': 'vm', 'flavorRef': 'm1',
                            'imageRef': 'c'}, **server)}
    for path in ('/servers', '/placement'):
        response = call(api, FED + path, method='POST',
                        body=json.dumps(body))
        assert response.status_int == 400
        assert fault(response, 'badRequest')['message'] == message
    api.launches.accept.assert_not_called()


def test_launch_with_no_valid_cloud_is_conflicting_request(api):
    api.launches.accept.side_effect = exception.NoValidCloud(
        reason='alpha: quota exceeded')
    body = {'server': {'name': 'vm', 'flavorRef': 'm1', 'imageRef': 'c'}}
    response = call(api, FED + '/servers', method='POST',
                    body=json.dumps(body))
    assert response.status_int == 409
    assert 'alpha: quota exceeded' in fault(
        response, 'conflictingRequest')['message']


def test_a_database_outage_is_service_unavailable(api):
    api.launches.accept.side_effect = exception.DatabaseUnavailable(
        reason='Can\'t connect to MySQL server')
    body = {'server': {'name': 'vm', 'flavorRef': 'm1', 'imageRef': 'c'}}
    response = call(api, FED + '/servers', method='POST',
                    body=json.dumps(body))
    assert response.status_int == 503
    assert fault(response, 'serviceUnavailable')['message'] == (
        "The MultiOS database is unavailable: Can't connect to MySQL "
        "server")


def test_launches_index_show_and_cancel(api):
    api.launches.list.return_value = [_launch()]
    api.launches.get.return_value = _launch()
    api.launches.cancel.return_value = _launch()
    assert call(api, FED + '/launches').json == {'launches': [_launch()]}
    assert call(api, FED + '/launches/req-1').json == {'launch': _launch()}
    response = call(api, FED + '/launches/req-1', method='DELETE')
    assert response.status_int == 202
    assert response.json == {'launch': _launch()}
    assert api.launches.cancel.call_args.args[1] == 'req-1'


def test_launches_of_every_project_are_for_admins(api):
    response = call(api, FED + '/launches?all_tenants=1')
    assert response.status_int == 403
    api.launches.list.return_value = []
    call(api, FED + '/launches?all_tenants=1', caller=api_helpers.ADMIN)
    assert api.launches.list.call_args.kwargs == {'all_tenants': True}


def test_a_reader_cannot_cancel(api):
    api.launches.get.return_value = _launch()
    reader = dict(api_helpers.MEMBER, roles='reader')
    response = call(api, FED + '/launches/req-1', method='DELETE',
                    caller=reader)
    assert response.status_int == 403
    api.launches.cancel.assert_not_called()


def test_an_ended_launch_cannot_be_cancelled(api):
    api.launches.get.return_value = _launch('active')
    api.launches.cancel.side_effect = exception.LaunchSettled(
        launch_id='req-1', status='active')
    response = call(api, FED + '/launches/req-1', method='DELETE')
    assert response.status_int == 409
    assert fault(response, 'conflictingRequest')['message'] == (
        'Launch req-1 has already ended (active): delete its servers '
        'instead.')


def test_delete_answers_204_without_body(api):
    api.fed.get_server.return_value = _server('s1')
    response = call(api, FED + '/servers/s1', method='DELETE')
    assert response.status_int == 204
    assert response.body == b'' and 'Content-Type' not in response.headers
    assert api.fed.delete_server.call_args.args[1] == 's1'


def test_delete_of_another_projects_server_is_forbidden(api):
    api.fed.get_server.return_value = _server('s1', project_id='p-other')
    response = call(api, FED + '/servers/s1', method='DELETE')
    assert response.status_int == 403
    api.fed.delete_server.assert_not_called()


def test_unexpected_error_is_a_generic_compute_fault(api):
    api.fed.cloud_status.side_effect = RuntimeError('password=s3cret at x')
    response = call(api, FED + '/clouds')
    assert response.status_int == 500
    message = fault(response, 'computeFault')['message']
    assert 's3cret' not in response.text and 'RuntimeError' not in message
    assert 'Traceback' not in response.text


@pytest.fixture
def fping_check():
    with mock.patch('multios.fping.check') as check:
        yield check


def test_fping_index_in_novas_body_with_errors(api, fping_check):
    answers = [{'id': 's1', 'project_id': 'p-member', 'cloud': 'alpha',
                'alive': True}]
    fping_check.return_value = federation.Result(
        answers, [federation.CloudError('beta', 'cannot connect')])
    response = call(api, '/v1/os-fping?exclude=s2,s3')
    assert response.json == {
        'servers': answers,
        'errors': [{'cloud': 'beta', 'reason': 'cannot connect'}]}
    assert fping_check.call_args.kwargs == {
        'all_tenants': False, 'include': None, 'exclude': 's2,s3'}


def test_fping_show(api, fping_check):
    fping_check.return_value = federation.Result(
        [{'id': 's1', 'project_id': 'p-member', 'cloud': 'alpha',
          'alive': False}])
    response = call(api, '/v1/os-fping/s1')
    assert response.json['server']['alive'] is False
    assert fping_check.call_args.kwargs == {'server_id': 's1'}


def test_fping_all_tenants_is_forbidden_to_members(api, fping_check):
    response = call(api, '/v1/os-fping?all_tenants=1')
    assert fault(response, 'forbidden')['message'] == (
        "Policy doesn't allow os_compute_api:os-fping:all_tenants to be "
        "performed.")
    fping_check.assert_not_called()


def test_missing_fping_is_service_unavailable(api, fping_check):
    fping_check.side_effect = exception.FpingNotFound()
    response = call(api, '/v1/os-fping')
    assert response.status_int == 503
    assert fault(response, 'serviceUnavailable')['message'] == \
        'fping utility is not found.'


def test_fping_is_rate_limited_per_project():
    application, _ = api_helpers.load(api_helpers.make_conf(
        fping_rate_limit=2, fping_rate_period=60))
    with mock.patch('multios.fping.check',
                    return_value=federation.Result()):
        codes = [api_helpers.request(application, '/v1/os-fping').status_int
                 for _ in range(3)]
        limited = api_helpers.request(application, '/v1/os-fping/s1')
        other = api_helpers.request(application, '/v1/os-fping',
                                    caller=api_helpers.OTHER_MEMBER)
    assert codes == [200, 200, 429]
    assert limited.status_int == 429
    detail = fault(limited, 'overLimit')
    assert 1 <= int(limited.headers['Retry-After']) <= 60
    assert detail['retryAfter'] == limited.headers['Retry-After']
    assert other.status_int == 200


REGISTER = {'cloud': {'name': 'delta', 'auth_url': 'http://127.0.0.1:2/v3',
                      'username': 'operator', 'password': 'Sup3r$ecret',
                      'project_name': 'admin'}}


def _configured(name, source):
    return types.SimpleNamespace(name=name, settings=types.SimpleNamespace(
        source=source))


def test_an_admin_registers_a_cloud_and_never_sees_its_password(api):
    api.fed.clouds.return_value = [_configured('alpha', '/etc/m.conf')]
    api.fed.cloud_status.return_value = [_status('alpha'), _status('delta')]
    response = call(api, FED + '/clouds', method='POST',
                    body=json.dumps(REGISTER), caller=api_helpers.ADMIN)
    assert response.status_int == 201, response.text
    assert response.json['cloud']['name'] == 'delta'
    assert 'Sup3r' not in response.text
    name, values, configured = api.backend.core.registry.register.call_args\
        .args
    assert (name, values['password']) == ('delta', 'Sup3r$ecret')
    assert list(configured) == ['alpha']


def test_members_cannot_register_and_a_bad_password_is_not_echoed(api):
    response = call(api, FED + '/clouds', method='POST',
                    body=json.dumps(REGISTER))
    assert response.status_int == 403
    body = {'cloud': dict(REGISTER['cloud'], password=12345)}
    response = call(api, FED + '/clouds', method='POST',
                    body=json.dumps(body), caller=api_helpers.ADMIN)
    assert fault(response, 'badRequest')['message'] == (
        "Invalid input for field/attribute cloud.password. It is not of "
        "type 'string'")
    assert '12345' not in response.text
    api.backend.core.registry.register.assert_not_called()


def test_a_configured_cloud_is_changed_in_its_file(api):
    api.fed.cloud.return_value = _configured('alpha', '/etc/m.conf')
    for method, body in (('PUT', {'cloud': {'enabled': False}}),
                         ('DELETE', None)):
        response = call(api, FED + '/clouds/alpha', method=method,
                        body=body and json.dumps(body),
                        caller=api_helpers.ADMIN)
        assert fault(response, 'conflictingRequest')['message'] == (
            'Conflict: cloud alpha is defined in /etc/m.conf: change it '
            'there')
    api.backend.core.registry.update.assert_not_called()
    api.backend.core.registry.remove.assert_not_called()


def test_a_registered_cloud_is_updated_and_removed(api):
    api.fed.cloud.return_value = _configured('delta', 'registered')
    api.fed.cloud_status.return_value = [_status('delta', 'disabled')]
    response = call(api, FED + '/clouds/delta', method='PUT',
                    body=json.dumps({'cloud': {'enabled': False,
                                               'weight': 2}}),
                    caller=api_helpers.ADMIN)
    assert response.json['cloud']['state'] == 'disabled'
    assert api.backend.core.registry.update.call_args.args == (
        'delta', {'enabled': False, 'weight': 2})
    response = call(api, FED + '/clouds/delta', method='DELETE',
                    caller=api_helpers.ADMIN)
    assert response.status_int == 204
    assert api.backend.core.registry.remove.call_args.args == ('delta',)


def test_only_enabled_draining_and_weight_can_be_put(api):
    response = call(api, FED + '/clouds/delta', method='PUT',
                    body=json.dumps({'cloud': {'password': 'x'}}),
                    caller=api_helpers.ADMIN)
    assert fault(response, 'badRequest')['message'].startswith(
        'Invalid input for field/attribute cloud. Additional properties')
