# SPDX-License-Identifier: Apache-2.0
"""The dashboard's door into MultiOS: the API, as the user, and its faults
as Horizon's exceptions."""

from unittest import mock

from django.test.utils import override_settings
from horizon import exceptions
from keystoneauth1 import exceptions as ks_exceptions
from multiosclient import exceptions as client_exceptions
from openstack_dashboard.test import helpers as test

from multios_dashboard import api


class ClientTests(test.TestCase):

    @mock.patch.object(api.multios.base, 'url_for',
                       return_value='http://catalog.test/v1')
    @mock.patch.object(api.multios.multios_client, 'Client')
    def test_calls_carry_the_users_token_to_the_catalogs_api(self, client,
                                                             url_for):
        request = self.factory.get('/')
        with override_settings(MULTIOS_API_URL=None):
            api.multios.server_get(request, 'x', cloud='beta')

        url_for.assert_called_once_with(request, 'multios')
        kwargs = client.call_args.kwargs
        self.assertEqual('http://catalog.test/v1',
                         kwargs['endpoint_override'])
        auth = kwargs['auth']
        self.assertEqual(self.token.id, auth.get_token(None))
        self.assertEqual('http://catalog.test/v1', auth.get_endpoint(None))
        client.return_value.servers.get.assert_called_once_with(
            'x', cloud='beta')

    @mock.patch.object(api.multios.multios_client, 'Client')
    def test_the_setting_names_the_api_instead(self, client):
        with override_settings(MULTIOS_API_URL='http://api.test/v1'):
            api.multios.cloud_list(self.factory.get('/'))

        self.assertEqual('http://api.test/v1',
                         client.call_args.kwargs['endpoint_override'])

    @mock.patch.object(api.multios, 'client')
    def test_a_launch_and_its_review_carry_what_it_boots_with(self, client):
        request = self.factory.get('/')
        options = {'key_name': 'mykey', 'networks': ['private'],
                   'security_groups': ['web'], 'user_data': '#!/bin/sh'}

        api.multios.placement_rank(request, 'vm', 'm1.tiny', 'cirros',
                                   count=2, **options)
        api.multios.server_launch(request, 'vm', 'm1.tiny', 'cirros',
                                  count=2, **options)

        for call in (client.return_value.placement.rank,
                     client.return_value.servers.create):
            call.assert_called_once_with('vm', 'm1.tiny', 'cirros', count=2,
                                         cloud=None, **options)

    def test_without_setting_or_catalog_entry_it_says_which_service(self):
        with override_settings(MULTIOS_API_URL=None):
            with self.assertRaisesRegex(exceptions.ServiceCatalogException,
                                        'multios'):
                api.multios.endpoint(self.factory.get('/'))


class ErrorTranslationTests(test.TestCase):

    def _raise(self, error):
        with mock.patch.object(api.multios, 'client') as client:
            client.return_value.servers.get.side_effect = error
            api.multios.server_get(self.factory.get('/'), 'x')

    def test_not_found_becomes_horizons_with_the_apis_message(self):
        with self.assertRaisesRegex(exceptions.NotFound,
                                    '^Server x could not be found.$'):
            self._raise(client_exceptions.NotFound(
                'Server x could not be found.', request_id='req-1'))

    def test_conflict_and_bad_request_are_recoverable_messages(self):
        with self.assertRaisesRegex(exceptions.Conflict, 'No valid cloud'):
            self._raise(client_exceptions.Conflict('No valid cloud'))
        with self.assertRaisesRegex(exceptions.BadRequest, 'Policy'):
            self._raise(client_exceptions.Forbidden('Policy forbids'))

    def test_an_expired_token_logs_the_user_out_as_horizon_does(self):
        with self.assertRaises(exceptions.NotAuthorized):
            self._raise(client_exceptions.Unauthorized('expired'))

    def test_missing_fping_keeps_its_exact_message(self):
        with self.assertRaisesRegex(exceptions.NotAvailable,
                                    '^fping utility is not found.$'):
            self._raise(client_exceptions.ServiceUnavailable(
                'fping utility is not found.'))

    def test_a_rate_limit_says_how_long_to_wait(self):
        with self.assertRaisesRegex(
                exceptions.NotAvailable, '^This request was rate-limited. '
                'Try again in 42 seconds.$'):
            self._raise(client_exceptions.OverLimit(
                'This request was rate-limited.', retry_after='42'))

    def test_an_api_that_does_not_answer_is_named(self):
        with self.assertRaisesRegex(exceptions.NotAvailable,
                                    'The MultiOS API did not answer'):
            self._raise(ks_exceptions.ConnectFailure('refused'))
