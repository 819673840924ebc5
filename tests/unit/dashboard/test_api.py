"""The dashboard's door into the core: identity and error translation."""

from unittest import mock

from horizon import exceptions
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session as ks_session
from openstack_dashboard.test import helpers as test

from multios import exception as multios_exception
from multios_dashboard import api
from multios_dashboard.api import cloud_files


class ContextTests(test.TestCase):

    @mock.patch.object(api.multios, 'core')
    def test_member_context_is_the_users_project(self, core):
        api.multios.server_list(self.factory.get('/'))

        context = core.return_value.launches.list_servers.call_args.args[0]
        self.assertEqual((self.tenant.id, self.user.id, False),
                         (context.project_id, context.user_id,
                          context.is_admin))


class AdminContextTests(test.BaseAdminViewTests):

    @mock.patch.object(api.multios, 'core')
    def test_admin_context_is_admin(self, core):
        api.multios.server_list(self.factory.get('/'), all_tenants=True)

        context = core.return_value.launches.list_servers.call_args.args[0]
        self.assertTrue(context.is_admin)


class ErrorTranslationTests(test.TestCase):

    def _raise(self, error):
        with mock.patch.object(api.multios, 'federation') as federation:
            federation.return_value.get_server.side_effect = error
            api.multios.server_get(self.factory.get('/'), 'x')

    def test_not_found_becomes_horizon_not_found(self):
        with self.assertRaisesRegex(exceptions.NotFound,
                                    'Server x could not be found'):
            self._raise(multios_exception.ServerNotFound(server_id='x'))

    def test_no_valid_cloud_is_a_recoverable_conflict(self):
        with self.assertRaisesRegex(exceptions.Conflict, 'No valid cloud'):
            self._raise(multios_exception.NoValidCloud(reason='no quota'))

    def test_missing_fping_keeps_its_exact_message(self):
        with self.assertRaisesRegex(exceptions.NotAvailable,
                                    '^fping utility is not found.$'):
            self._raise(multios_exception.FpingNotFound())


class AuthenticateTests(test.TestCase):

    ACCOUNT = {'auth_url': 'http://127.0.0.1:1/v3', 'username': 'u',
               'password': 'S3cret', 'project_name': 'p',
               'user_domain_name': 'Default',
               'project_domain_name': 'Default'}

    @mock.patch.object(ks_session.Session, 'get_token')
    def test_refused_account_message_has_no_password(self, get_token):
        get_token.side_effect = ks_exceptions.Unauthorized()

        with self.assertRaises(cloud_files.AuthenticationFailed) as caught:
            cloud_files.authenticate(self.ACCOUNT)

        self.assertIn('refused', str(caught.exception))
        self.assertNotIn('S3cret', str(caught.exception))

    @mock.patch.object(ks_session.Session, 'get_token')
    def test_unreachable_keystone_is_named_by_error_kind(self, get_token):
        get_token.side_effect = ks_exceptions.ConnectFailure('refused')

        with self.assertRaisesRegex(cloud_files.AuthenticationFailed,
                                    'ConnectFailure'):
            cloud_files.authenticate(self.ACCOUNT)
