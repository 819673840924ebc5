"""The project's federated Instances panel, with the core API mocked."""

from django.urls import reverse
from horizon import exceptions
from openstack_dashboard.test import helpers as test

from multios import federation
from multios_dashboard import api
from multios_dashboard.dashboards.project.multios_instances import tables
from tests.unit.dashboard import fakes

INDEX_URL = reverse('horizon:project:multios_instances:index')
LAUNCH_URL = reverse('horizon:project:multios_instances:launch')
INDEX_TEMPLATE = 'horizon/common/_data_table_view.html'


class InstancesIndexTests(test.TestCase):

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_index_lists_servers_of_every_cloud(self):
        self.mock_server_list.return_value = fakes.result(fakes.servers())
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(INDEX_URL)

        self.assertTemplateUsed(res, INDEX_TEMPLATE)
        rows = res.context['instances_table'].data
        self.assertEqual([('alpha', 'web-1'), ('beta', 'db-1'),
                          ('beta', 'web-2')],
                         [(s.cloud, s.name) for s in rows])
        self.assertEqual({'cirros'}, {s.image_name for s in rows})
        self.assertContains(res, '10.0.0.2')
        self.mock_server_list.assert_called_once_with(
            test.IsHttpRequest(), all_tenants=False, cloud=None)

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_unavailable_cloud_is_named_and_others_still_show(self):
        self.mock_server_list.return_value = fakes.result(
            fakes.servers(), [federation.CloudError('gamma',
                                                    'connection refused')])
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(INDEX_URL)

        self.assertContains(res, 'Cloud gamma is unavailable')
        self.assertEqual(3, len(res.context['instances_table'].data))

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_retrieval_failure_shows_an_error_not_a_traceback(self):
        self.mock_server_list.side_effect = exceptions.NotAvailable(
            'Invalid configuration: [cloud:alpha] auth_url is required')
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(INDEX_URL)

        self.assertEqual(200, res.status_code)
        self.assertEqual([], res.context['instances_table'].data)
        self.assertContains(res, '[cloud:alpha] auth_url is required')

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def _filter(self, field, value):
        self.mock_server_list.return_value = fakes.result(fakes.servers())
        self.mock_image_list.return_value = fakes.images()
        res = self.client.post(INDEX_URL, {
            'instances__filter__q_field': field,
            'instances__filter__q': value}, follow=True)
        return res, self.mock_server_list

    def test_filter_by_cloud_asks_that_cloud_only(self):
        res, server_list = self._filter('cloud', 'beta')
        server_list.assert_called_once_with(
            test.IsHttpRequest(), all_tenants=False, cloud='beta')

    def test_filter_by_status(self):
        res, _ = self._filter('status', 'shutoff')
        self.assertEqual(['db-1'], [s.name for s in
                                    res.context['instances_table'].data])

    def test_filter_by_name(self):
        res, _ = self._filter('name', 'WEB')
        self.assertEqual(['web-1', 'web-2'],
                         [s.name for s in
                          res.context['instances_table'].data])


class InstancesRowTests(test.TestCase):

    def _row_update(self, server_id):
        return self.client.get(
            INDEX_URL, {'action': 'row_update', 'table': 'instances',
                        'obj_id': server_id},
            HTTP_X_REQUESTED_WITH='XMLHttpRequest')

    @test.create_mocks({api.multios: ['server_get', 'image_list']})
    def test_building_row_refreshes_itself(self):
        self.mock_server_get.return_value = fakes.server(
            'a1', 'web-1', 'alpha', status='BUILD')
        self.mock_image_list.return_value = fakes.images()

        res = self._row_update('a1')

        self.assertEqual(200, res.status_code)
        row = res.content.decode()
        # Horizon's JavaScript keeps polling "warning" (pending) rows.
        self.assertIn('<tr class="ajax-update warning"', row)
        self.assertIn('Build', row)

    @test.create_mocks({api.multios: ['server_get', 'image_list']})
    def test_active_row_stops_refreshing(self):
        self.mock_server_get.return_value = fakes.server('a1', 'web-1',
                                                         'alpha')
        self.mock_image_list.return_value = fakes.images()

        row = self._row_update('a1').content.decode()

        self.assertIn('<tr class="ajax-update status_up"', row)
        self.assertIn('Active', row)
        self.assertIn('cirros', row)

    @test.create_mocks({api.multios: ['server_get']})
    def test_deleted_server_row_is_gone(self):
        self.mock_server_get.side_effect = exceptions.NotFound(
            'Server a1 could not be found.')

        self.assertEqual(404, self._row_update('a1').status_code)


class InstancesActionTests(test.TestCase):

    @test.create_mocks({api.multios: ['server_list', 'image_list',
                                      'server_delete']})
    def test_batch_delete_deletes_each_selected_server(self):
        self.mock_server_list.return_value = fakes.result(fakes.servers())
        self.mock_image_list.return_value = fakes.images()

        res = self.client.post(INDEX_URL, {'action': 'instances__delete',
                                           'object_ids': ['a1', 'b1']})

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertEqual(
            [(('a1',), {}), (('b1',), {})],
            [(c.args[1:], c.kwargs)
             for c in self.mock_server_delete.call_args_list])

    @test.create_mocks({api.multios: ['server_list', 'image_list',
                                      'health_check']})
    def test_check_health_shows_who_answers(self):
        self.mock_server_list.return_value = fakes.result(fakes.servers())
        self.mock_image_list.return_value = fakes.images()
        self.mock_health_check.return_value = [
            {'id': 'a1', 'project_id': '1', 'cloud': 'alpha', 'alive': True},
            {'id': 'b1', 'project_id': '1', 'cloud': 'beta', 'alive': False}]

        res = self.client.post(INDEX_URL,
                               {'action': 'instances__check_health'})
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_health_check.assert_called_once_with(
            test.IsHttpRequest(), server_ids=None, all_tenants=False)

        table = self.client.get(INDEX_URL).context['instances_table']
        alive = {row.datum.id: row.cells['alive'].value
                 for row in table.get_rows()}
        self.assertEqual({'a1': 'Yes', 'b1': 'No', 'b2': 'Unknown'},
                         {k: str(v) for k, v in alive.items()})

    @test.create_mocks({api.multios: ['server_list', 'image_list',
                                      'health_check']})
    def test_check_health_without_fping_says_so(self):
        self.mock_server_list.return_value = fakes.result(fakes.servers())
        self.mock_image_list.return_value = fakes.images()
        self.mock_health_check.side_effect = exceptions.NotAvailable(
            'fping utility is not found.')

        res = self.client.post(INDEX_URL,
                               {'action': 'instances__check_health'},
                               follow=True)

        self.assertContains(res, 'fping utility is not found.')

    def test_table_actions(self):
        names = [action.name for action in
                 tables.InstancesTable._meta.table_actions]
        self.assertEqual(['launch', 'check_health', 'delete', 'filter'],
                         names)


class LaunchTests(test.TestCase):

    def _mock_choices(self):
        self.mock_image_list.return_value = fakes.images()
        self.mock_flavor_list.return_value = fakes.flavors()
        self.mock_cloud_list.return_value = [
            type('Cloud', (), {'name': name})()
            for name in ('alpha', 'beta', 'gamma')]

    def _form(self, **extra):
        data = {'name': 'web', 'image': 'cirros', 'flavor': 'm1.tiny',
                'count': 2, 'cloud': ''}
        data.update(extra)
        return data

    @test.create_mocks({api.multios: ['image_list', 'flavor_list',
                                      'cloud_list']})
    def test_form_offers_automatic_placement_and_each_cloud(self):
        self._mock_choices()

        res = self.client.get(LAUNCH_URL)

        form = res.context['form']
        self.assertEqual(['', 'alpha', 'beta', 'gamma'],
                         [c[0] for c in form.fields['cloud'].choices])
        self.assertEqual([('cirros', 'cirros (alpha, beta, gamma)')],
                         form.fields['image'].choices)

    @test.create_mocks({api.multios: ['image_list', 'flavor_list',
                                      'cloud_list', 'placement_rank',
                                      'server_launch']})
    def test_ranking_and_reasons_are_shown_before_launching(self):
        self._mock_choices()
        self.mock_placement_rank.return_value = fakes.ranking()

        res = self.client.post(LAUNCH_URL, self._form())

        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'placement_ranking')
        self.assertContains(res, 'quota: 0 instances left')
        self.assertContains(res, 'value="Launch"')
        self.assertContains(
            res, '<input type="hidden" name="confirmed" value="True"',
            html=False)
        self.mock_server_launch.assert_not_called()
        request = self.mock_placement_rank.call_args.args[1]
        self.assertEqual(('web', 'm1.tiny', 'cirros', 2, None),
                         (request.name, request.flavor, request.image,
                          request.count, request.cloud))

    @test.create_mocks({api.multios: ['image_list', 'flavor_list',
                                      'cloud_list', 'placement_rank']})
    def test_no_launch_button_when_no_cloud_fits(self):
        self._mock_choices()
        ranking = fakes.ranking()
        ranking.ranked = []
        self.mock_placement_rank.return_value = ranking

        res = self.client.post(LAUNCH_URL, self._form())

        self.assertContains(res, 'No cloud can take this launch.')
        self.assertNotContains(res, 'value="Launch"')

    @test.create_mocks({api.multios: ['image_list', 'flavor_list',
                                      'cloud_list', 'server_launch']})
    def test_confirmed_launch_runs_on_the_chosen_cloud(self):
        self._mock_choices()
        self.mock_server_launch.return_value = {
            'id': 'req-1', 'status': 'building',
            'servers': [{'name': 'web', 'cloud': 'gamma'}]}

        res = self.client.post(LAUNCH_URL, self._form(cloud='gamma',
                                                      confirmed='True'),
                               follow=True)

        self.assertNoFormErrors(res)
        self.assertContains(
            res, 'Launch req-1 of &quot;web&quot; accepted: web on gamma.')
        request = self.mock_server_launch.call_args.args[1]
        self.assertEqual('gamma', request.cloud)

    @test.create_mocks({api.multios: ['image_list', 'flavor_list',
                                      'cloud_list', 'server_launch']})
    def test_failed_launch_reports_every_attempt(self):
        self._mock_choices()
        self.mock_server_launch.side_effect = exceptions.Conflict(
            'Launch failed: beta: quota exceeded; alpha: no valid host')

        res = self.client.post(LAUNCH_URL, self._form(confirmed='True'),
                               follow=True)

        self.assertContains(res, 'beta: quota exceeded; alpha: no valid host')
