# SPDX-License-Identifier: Apache-2.0
"""filter_factory: MultiOS resources inside another API's pipeline."""

from unittest import mock

from oslo_context import context as oslo_context
import webob
import webob.dec

from multios import federation
from multios_api_ext import app
from multios_api_ext import faults
from tests.unit import api_helpers

EMPTY = federation.Result()


@webob.dec.wsgify
def nova_app(req):
    return webob.Response(json_body={'nova': req.path_info})


def make_filter(**local_conf):
    conf = api_helpers.make_conf()
    with mock.patch.object(app.backend, 'Backend',
                           lambda load_conf: api_helpers.mocked_backend(conf)):
        return app.filter_factory({}, **local_conf)(nova_app)


def nova_request(path, roles=('member', 'reader'), method='GET'):
    req = webob.Request.blank(path, method=method)
    req.environ['nova.context'] = oslo_context.RequestContext(
        project_id='p-nova', user_id='u-nova', roles=list(roles),
        request_id='req-from-nova')
    return req


def test_other_paths_go_to_the_wrapped_app():
    application = make_filter()
    response = nova_request('/servers/detail').get_response(application)
    assert response.json == {'nova': '/servers/detail'}


def test_serves_fping_with_novas_context():
    application = make_filter()
    with mock.patch('multios.fping.check', return_value=EMPTY) as check:
        response = nova_request('/os-fping').get_response(application)
    assert response.json == {'servers': [], 'errors': []}
    context = check.call_args.args[1]
    assert (context.project_id, context.user_id, context.request_id,
            context.is_admin) == ('p-nova', 'u-nova', 'req-from-nova', False)


def test_admin_role_in_novas_context_makes_an_admin():
    application = make_filter()
    with mock.patch('multios.fping.check', return_value=EMPTY) as check:
        nova_request('/os-fping?all_tenants=1',
                     roles=('admin',)).get_response(application)
    assert check.call_args.args[1].is_admin


def test_prefix_moves_the_resources():
    application = make_filter(prefix='/compute/v2.1')
    with mock.patch('multios.fping.check', return_value=EMPTY):
        ours = nova_request('/compute/v2.1/os-fping').get_response(
            application)
    theirs = nova_request('/os-fping').get_response(application)
    assert ours.json == {'servers': [], 'errors': []}
    assert theirs.json == {'nova': '/os-fping'}


def test_version_document_is_left_to_the_host_api():
    application = make_filter()
    response = nova_request('/').get_response(application)
    assert response.json == {'nova': '/'}


def test_federation_faults_keep_novas_shape():
    application = make_filter()
    response = nova_request('/os-federation/clouds',
                            method='PATCH').get_response(application)
    assert response.status_int == 405
    assert response.json['badMethod']['code'] == 405


def test_broken_configuration_leaves_the_host_api_serving(caplog):
    application = app.filter_factory(
        {}, config_file='/nonexistent/multios.conf')(nova_app)
    theirs = nova_request('/servers').get_response(application)
    ours = nova_request('/os-federation/clouds').get_response(application)
    assert theirs.json == {'nova': '/servers'}
    assert ours.status_int == 500
    assert 'nonexistent' not in ours.text
    assert ours.json['computeFault']['message'] == faults.GENERIC_MESSAGE
    assert '/nonexistent/multios.conf' in caplog.text
