# SPDX-License-Identifier: Apache-2.0
"""The project's federated Instances panel, its API functions mocked."""

from django.test.utils import override_settings
from django.urls import reverse
from horizon import exceptions
from openstack_auth import policy as auth_policy
from openstack_dashboard.api import nova
from openstack_dashboard.test import helpers as test

from multios_dashboard import api
from multios_dashboard.dashboards.project.multios_instances import servers
from multios_dashboard.dashboards.project.multios_instances import tables
from tests.unit.dashboard import fakes

INDEX_URL = reverse('horizon:project:multios_instances:index')
LAUNCH_URL = reverse('horizon:project:multios_instances:launch')
INDEX_TEMPLATE = 'horizon/common/_data_table_view.html'
A1, B1, B2 = fakes.UUIDS['a1'], fakes.UUIDS['b1'], fakes.UUIDS['b2']


def detail_url(server_id):
    return reverse('horizon:project:multios_instances:detail',
                   args=(server_id,))


def table_rows(res):
    return res.context['instances_table'].data


class InstancesIndexTests(test.TestCase):

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_index_lists_one_page_of_every_cloud(self):
        self.mock_server_list.return_value = fakes.result(fakes.servers())
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(INDEX_URL)

        self.assertTemplateUsed(res, INDEX_TEMPLATE)
        # The API's order (newest first across clouds), as it gives it.
        self.assertEqual([('alpha', 'web-1'), ('beta', 'web-2'),
                          ('beta', 'db-1')],
                         [(s.cloud, s.name) for s in table_rows(res)])
        self.assertEqual({'cirros'}, {s.image_name for s in table_rows(res)})
        self.assertContains(res, '10.0.0.36')
        self.mock_server_list.assert_called_once_with(
            test.IsHttpRequest(), all_tenants=False, limit=20)
        self.mock_image_list.assert_called_once_with(test.IsHttpRequest())

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_names_link_to_the_detail_page_on_their_cloud(self):
        self.mock_server_list.return_value = fakes.result(fakes.servers())
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(INDEX_URL)

        self.assertContains(res, 'href="%s?cloud=alpha"' % detail_url(A1))

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_unavailable_cloud_is_named_and_others_still_show(self):
        self.mock_server_list.return_value = fakes.result(
            fakes.servers(), [fakes.error('gamma', 'connection refused')])
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(INDEX_URL)

        self.assertContains(res, 'Cloud gamma is unavailable')
        self.assertEqual(3, len(table_rows(res)))

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_retrieval_failure_shows_an_error_not_a_traceback(self):
        self.mock_server_list.side_effect = exceptions.NotAvailable(
            'The MultiOS API did not answer: connection refused')
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(INDEX_URL)

        self.assertEqual(200, res.status_code)
        self.assertEqual([], table_rows(res))
        self.assertContains(res, 'The MultiOS API did not answer')

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def _filter(self, field, value):
        self.mock_server_list.return_value = fakes.result(fakes.servers())
        self.mock_image_list.return_value = fakes.images()
        self.client.post(INDEX_URL, {'instances__filter__q_field': field,
                                     'instances__filter__q': value},
                         follow=True)
        return self.mock_server_list.call_args.kwargs

    def test_filters_are_the_apis_and_names_are_taken_as_typed(self):
        self.assertEqual('beta', self._filter('cloud', 'beta')['cloud'])
        self.assertEqual('shutoff',
                         self._filter('status', 'shutoff')['status'])
        self.assertEqual(r'web\-1\(', self._filter('name', 'web-1(')['name'])


class PendingRowTests(test.TestCase):
    """A launch's instances show at once, before Nova has a server."""

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_instances_not_made_yet_are_build_rows_with_their_task(self):
        self.mock_server_list.return_value = fakes.result(
            [fakes.server(None, 'new-1', None, status='BUILD',
                          task='placing', launch_id='req-1'),
             fakes.server(None, 'new-2', 'beta', status='BUILD',
                          task='launching on beta, attempt 2 of 3',
                          launch_id='req-1')] + fakes.servers())
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(INDEX_URL)

        table = res.context['instances_table']
        rows = {row.datum.name: row for row in table.get_rows()}
        new = rows['new-2']
        self.assertEqual('launch:req-1:new-2', table.get_object_id(new.datum))
        self.assertEqual('Build', str(new.cells['status'].data))
        self.assertEqual('Launching on beta, attempt 2 of 3',
                         str(new.cells['task'].data))
        self.assertEqual('Placing', str(rows['new-1'].cells['task'].data))
        # Polled, not selectable, no action, no link.
        self.assertIsNone(new.status)
        self.assertFalse(table.can_be_selected(new.datum))
        self.assertEqual([], table.get_row_actions(new.datum))
        self.assertIn('launch=req-1', new.get_ajax_update_url())
        self.assertIn('cloud=beta', new.get_ajax_update_url())


class RowPollTests(test.TestCase):

    def _row_update(self, obj_id, **params):
        query = {'action': 'row_update', 'table': 'instances',
                 'obj_id': obj_id}
        query.update(params)
        return self.client.get(INDEX_URL, query,
                               HTTP_X_REQUESTED_WITH='XMLHttpRequest')

    @test.create_mocks({api.multios: ['server_get', 'image_list']})
    def test_a_poll_asks_the_servers_own_cloud_and_no_image_list(self):
        self.mock_server_get.return_value = fakes.server(
            A1, 'web-1', 'alpha', status='BUILD', task_state='spawning')

        res = self._row_update(A1, cloud='alpha')

        self.assertEqual(200, res.status_code)
        row = res.content.decode()
        # Horizon's JavaScript keeps polling "warning" (pending) rows.
        self.assertIn('<tr class="ajax-update warning"', row)
        self.assertIn('Build', row)
        self.assertIn('Spawning', row)
        self.mock_server_get.assert_called_once_with(
            test.IsHttpRequest(), A1, cloud='alpha')
        self.mock_image_list.assert_not_called()

    @test.create_mocks({api.multios: ['server_list', 'image_list',
                                      'server_get']})
    def test_a_poll_names_the_image_the_page_fetched(self):
        self.mock_server_list.return_value = fakes.result(fakes.servers())
        self.mock_image_list.return_value = fakes.images()
        self.client.get(INDEX_URL)
        self.mock_server_get.return_value = fakes.server(A1, 'web-1',
                                                         'alpha')

        row = self._row_update(A1, cloud='alpha').content.decode()

        self.assertIn('<tr class="ajax-update status_up"', row)
        self.assertIn('cirros', row)
        self.mock_image_list.assert_called_once()

    @test.create_mocks({api.multios: ['server_get']})
    def test_deleted_server_row_is_gone(self):
        self.mock_server_get.side_effect = exceptions.NotFound(
            'Server a1 could not be found.')

        self.assertEqual(404, self._row_update(A1, cloud='alpha')
                         .status_code)

    @test.create_mocks({api.multios: ['server_get', 'launch_get']})
    def test_a_pending_row_asks_its_launch_not_a_cloud(self):
        self.mock_launch_get.return_value = fakes.launch(servers=[
            fakes.launch_item('web-2', 'beta',
                              task='launching on beta, attempt 1 of 3')])

        row = self._row_update('launch:req-1:web-2', launch='req-1',
                               name='web-2', cloud='beta').content.decode()

        self.assertIn('warning', row)
        self.assertIn('Launching on beta, attempt 1 of 3', row)
        self.mock_server_get.assert_not_called()

    @test.create_mocks({api.multios: ['server_get', 'launch_get']})
    def test_a_pending_row_becomes_its_server_once_nova_has_one(self):
        self.mock_launch_get.return_value = fakes.launch(servers=[
            fakes.launch_item('web-2', 'beta', id=B1)])
        self.mock_server_get.return_value = fakes.server(
            B1, 'web-2', 'beta', launch_id='req-1')

        row = self._row_update('launch:req-1:web-2', launch='req-1',
                               name='web-2').content.decode()

        self.assertIn('data-object-id="%s"' % B1, row)
        self.assertIn('status_up', row)
        self.mock_server_get.assert_called_once_with(
            test.IsHttpRequest(), B1, cloud='beta')

    @test.create_mocks({api.multios: ['server_get', 'launch_get']})
    def test_a_server_gone_by_fail_over_is_followed_to_the_next_cloud(self):
        self.mock_server_get.side_effect = [
            exceptions.NotFound('gone'),
            fakes.server(B1, 'web', 'beta', status='BUILD',
                         launch_id='req-1',
                         task='launching on beta, attempt 2 of 3')]
        self.mock_launch_get.return_value = fakes.launch(servers=[
            fakes.launch_item('web', 'beta', id=B1,
                              task='launching on beta, attempt 2 of 3',
                              attempts=[{'cloud': 'alpha',
                                         'outcome': 'error',
                                         'reason': 'No valid host'}])])

        row = self._row_update(A1, cloud='alpha', launch='req-1',
                               name='web').content.decode()

        self.assertIn('data-object-id="%s"' % B1, row)
        self.assertIn('Launching on beta, attempt 2 of 3', row)

    @test.create_mocks({api.multios: ['server_get', 'launch_get']})
    def test_a_pending_row_stays_while_a_failed_attempt_s_server_goes(self):
        # Seen in the browser: the launch still named the server it was
        # deleting on alpha; its 404 removed the row for good.
        self.mock_launch_get.return_value = fakes.launch(servers=[
            fakes.launch_item('web', 'alpha', id=A1,
                              task='deleting on alpha')])
        self.mock_server_get.side_effect = exceptions.NotFound('gone')

        res = self._row_update('launch:req-1:web', launch='req-1',
                               name='web', cloud='alpha')

        self.assertEqual(200, res.status_code)
        self.assertIn('data-update-url', res.content.decode())
        self.mock_server_get.assert_called_once_with(
            test.IsHttpRequest(), A1, cloud='alpha')

    @test.create_mocks({api.multios: ['launch_get']})
    def test_a_failed_instance_is_an_error_row_naming_its_launch(self):
        self.mock_launch_get.return_value = fakes.launch(
            status='failed', servers=[fakes.launch_item(
                'web', 'beta', status='ERROR', attempts=[
                    {'cloud': 'alpha', 'outcome': 'error',
                     'reason': 'No valid host'},
                    {'cloud': 'beta', 'outcome': 'quota',
                     'reason': 'Quota exceeded'}])])

        res = self._row_update('launch:req-1:web', launch='req-1',
                               name='web')

        row = res.content.decode()
        self.assertIn('status_down', row)
        self.assertIn('beta: Quota exceeded', row)
        self.assertIn('Launch req-1: &quot;web&quot; failed: alpha: No '
                      'valid host; beta: Quota exceeded',
                      res.headers['X-Horizon-Messages'].replace('\\"',
                                                                '&quot;'))

    @test.create_mocks({api.multios: ['server_get', 'launch_get']})
    def test_a_server_whose_launch_then_failed_is_an_error_row(self):
        self.mock_server_get.side_effect = exceptions.NotFound('gone')
        self.mock_launch_get.return_value = fakes.launch(
            status='failed', servers=[fakes.launch_item(
                'web', 'beta', id=A1, status='ERROR', attempts=[
                    {'cloud': 'alpha', 'outcome': 'timeout',
                     'reason': 'not ACTIVE within 300 s'}])])

        row = self._row_update(A1, cloud='alpha', launch='req-1',
                               name='web').content.decode()

        self.assertIn('status_down', row)
        self.assertIn('alpha: not ACTIVE within 300 s', row)
        self.assertEqual(1, self.mock_server_get.call_count)

    @test.create_mocks({api.multios: ['server_get', 'launch_get']})
    def test_a_server_deleted_after_its_launch_ended_is_gone(self):
        self.mock_server_get.side_effect = exceptions.NotFound('gone')
        self.mock_launch_get.return_value = fakes.launch(
            status='active', servers=[fakes.launch_item(
                'web', 'alpha', id=A1, status='ACTIVE')])

        self.assertEqual(404, self._row_update(
            A1, cloud='alpha', launch='req-1', name='web').status_code)

    @test.create_mocks({api.multios: ['server_get']})
    def test_an_error_row_shows_its_fault(self):
        self.mock_server_get.return_value = fakes.server(
            A1, 'web-1', 'alpha', status='ERROR',
            fault={'code': 500, 'message': 'No valid host was found.'})

        row = self._row_update(A1, cloud='alpha').content.decode()

        self.assertIn('status_down', row)
        self.assertIn('No valid host was found.', row)


class TableLogicTests(test.TestCase):
    """allowed(), display choices and row status, as Horizon's table."""

    def table(self):
        return tables.InstancesTable(self.request)

    def actions(self, server):
        return sorted(action.name for action in
                      self.table().get_row_actions(server))

    def test_actions_follow_the_servers_state(self):
        self.assertEqual(['check_health', 'delete', 'log', 'reboot',
                          'soft_reboot', 'stop'],
                         self.actions(fakes.server(A1, 'a', 'alpha')))
        self.assertEqual(['check_health', 'delete', 'reboot', 'start'],
                         self.actions(fakes.server(A1, 'a', 'alpha',
                                                   status='SHUTOFF')))
        self.assertEqual(['check_health'], self.actions(fakes.server(
            A1, 'a', 'alpha', task_state='deleting')))
        self.assertEqual(['check_health', 'delete'], self.actions(
            fakes.server(A1, 'a', 'alpha', status='ERROR',
                         task_state='deleting', power_state=0)))
        self.assertEqual(['check_health', 'delete', 'log', 'reboot'],
                         self.actions(fakes.server(
                             A1, 'a', 'alpha', task_state='powering-off')))

    def shown(self, column, **server):
        return str(self.table().columns[column].get_data(
            fakes.server(A1, 'a', 'alpha', **server)))

    def test_task_and_power_state_are_shown_in_horizons_words(self):
        self.assertEqual('Powering Off',
                         self.shown('task', task_state='powering-off'))
        self.assertEqual('Deleting on beta',
                         self.shown('task', task='deleting on beta'))
        self.assertEqual('None', self.shown('task'))
        self.assertEqual('Shut Down', self.shown('state', status='SHUTOFF'))
        self.assertEqual('Running', self.shown('state'))
        self.assertEqual('Shutoff', self.shown('status', status='SHUTOFF'))

    def test_a_row_with_a_task_is_polled_even_in_error(self):
        table = self.table()
        self.assertIsNone(table.calculate_row_status(
            {'status': False, 'task': None}))
        self.assertFalse(table.calculate_row_status(
            {'status': False, 'task': True}))
        self.assertTrue(table.calculate_row_status(
            {'status': True, 'task': True}))

    def test_horizons_table_and_menu_actions(self):
        meta = tables.InstancesTable._meta
        self.assertEqual(['launch', 'check_health', 'delete', 'filter'],
                         [a.name for a in meta.table_actions])
        self.assertEqual(['start', 'stop', 'soft_reboot'],
                         [a.name for a in meta.table_actions_menu])


class PaginationTests(test.TestCase):

    def page(self, result, query=''):
        self.mock_server_list.return_value = result
        self.mock_image_list.return_value = fakes.images()
        res = self.client.get(INDEX_URL + query)
        return res, res.context['instances_table']

    @override_settings(API_RESULT_PAGE_SIZE=2)
    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_a_page_with_more_links_to_the_next_by_its_last_server(self):
        res, table = self.page(fakes.result(fakes.servers()[:2],
                                            next_marker=B1))
        self.assertEqual(2, self.mock_server_list.call_args.kwargs['limit'])
        self.assertTrue(table.has_more_data())
        self.assertFalse(table.has_prev_data())
        self.assertContains(res, 'marker=%s' % B1)

    @override_settings(API_RESULT_PAGE_SIZE=2)
    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_next_page_asks_after_the_marker_and_links_back(self):
        res, table = self.page(fakes.result(fakes.servers()[2:]),
                               '?marker=%s' % B1)
        self.assertEqual({'marker': B1, 'sort_dir': 'desc', 'limit': 2,
                          'all_tenants': False},
                         self.mock_server_list.call_args.kwargs)
        self.assertFalse(table.has_more_data())
        self.assertTrue(table.has_prev_data())
        self.assertContains(res, 'prev_marker=%s' % B2)

    @override_settings(API_RESULT_PAGE_SIZE=2)
    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_prev_asks_the_other_way_and_shows_newest_first(self):
        older_first = list(reversed(fakes.servers()[:2]))
        res, table = self.page(fakes.result(older_first),
                               '?prev_marker=%s' % B2)
        self.assertEqual('asc',
                         self.mock_server_list.call_args.kwargs['sort_dir'])
        self.assertEqual(['web-1', 'web-2'], [s.name for s in table.data])
        self.assertTrue(table.has_more_data())
        self.assertFalse(table.has_prev_data())

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_a_deleted_marker_shows_the_first_page(self):
        self.mock_server_list.side_effect = [
            exceptions.BadRequest('marker [%s] not found' % B1),
            fakes.result(fakes.servers())]
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(INDEX_URL + '?marker=%s' % B1)

        self.assertEqual(3, len(table_rows(res)))
        self.assertNotIn('marker', self.mock_server_list.call_args.kwargs)
        self.assertFalse(res.context['instances_table'].has_prev_data())


class InstancesActionTests(test.TestCase):

    def post(self, action, ids, **extra):
        self.mock_server_list.return_value = fakes.result(fakes.servers())
        self.mock_image_list.return_value = fakes.images()
        data = {'action': 'instances__%s' % action, 'object_ids': ids}
        data.update(extra)
        return self.client.post(INDEX_URL, data)

    @test.create_mocks({api.multios: ['server_list', 'image_list',
                                      'server_delete']})
    def test_batch_delete_deletes_each_selected_server(self):
        res = self.post('delete', [A1, B1])

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertEqual([(A1,), (B1,)],
                         [c.args[1:] for c in
                          self.mock_server_delete.call_args_list])

    @test.create_mocks({api.multios: ['server_list', 'image_list',
                                      'server_start', 'server_stop',
                                      'server_reboot']})
    def test_lifecycle_actions_reach_the_api(self):
        self.assertRedirectsNoFollow(self.post('start', [B2]), INDEX_URL)
        self.assertRedirectsNoFollow(self.post('stop', [A1]), INDEX_URL)
        self.post('reboot', [A1])
        self.post('soft_reboot', [B1])
        self.mock_server_start.assert_called_once_with(
            test.IsHttpRequest(), B2)
        self.mock_server_stop.assert_called_once_with(
            test.IsHttpRequest(), A1)
        self.assertEqual([((A1,), {'soft_reboot': False}),
                          ((B1,), {'soft_reboot': True})],
                         [(c.args[1:], c.kwargs) for c in
                          self.mock_server_reboot.call_args_list])

    @test.create_mocks({api.multios: ['server_list', 'image_list',
                                      'server_start']})
    def test_an_action_its_state_forbids_is_not_sent(self):
        self.post('start', [A1])  # running

        self.mock_server_start.assert_not_called()


class HealthTests(test.TestCase):

    def check(self, answers=None, error=None):
        self.mock_server_list.return_value = fakes.result(fakes.servers())
        self.mock_image_list.return_value = fakes.images()
        self.mock_health_check.side_effect = error
        self.mock_health_check.return_value = answers
        return self.client.post(INDEX_URL,
                                {'action': 'instances__check_health'},
                                follow=True)

    @staticmethod
    def answers(*alive, errors=()):
        return fakes.result([fakes.server(i, 's%d' % n, 'alpha', alive=a)
                             for n, (i, a) in enumerate(alive)], errors)

    @test.create_mocks({api.multios: ['server_list', 'image_list',
                                      'health_check']})
    def test_some_silent_is_a_warning_and_the_rows_say_who(self):
        res = self.check(self.answers((A1, True), (B1, False)))

        self.assertContains(res, 'Only 1 of 2 instances answer ping.')
        self.assertContains(res, 'alert-warning')
        self.assertNotContains(res, 'alert-success')
        self.mock_health_check.assert_called_once_with(
            test.IsHttpRequest(), server_ids=None, all_tenants=False)
        alive = {row.datum.id: str(row.cells['alive'].value) for row in
                 res.context['instances_table'].get_rows()}
        self.assertEqual({A1: 'Yes', B1: 'No', B2: 'Unknown'}, alive)

    @test.create_mocks({api.multios: ['server_list', 'image_list',
                                      'health_check']})
    def test_all_answering_is_a_success(self):
        res = self.check(self.answers((A1, True), (B1, True)))

        self.assertContains(res, '2 of 2 instances answer ping.')
        self.assertContains(res, 'alert-success')

    @test.create_mocks({api.multios: ['server_list', 'image_list',
                                      'health_check']})
    def test_none_pinged_for_a_reason_is_an_info_never_a_success(self):
        for error in (exceptions.NotAvailable('fping utility is not '
                                              'found.'),
                      exceptions.NotAvailable('This request was rate-'
                                              'limited. Try again in 42 '
                                              'seconds.')):
            res = self.check(error=error)
            self.assertContains(res, 'No instance was pinged: %s' % error)
            self.assertContains(res, 'alert-info')
            self.assertNotContains(res, 'alert-success')
        res = self.check(self.answers(errors=[fakes.error(
            'beta', 'no answer within 5s')]))
        self.assertContains(res, 'The instances on beta were not pinged: '
                                 'no answer within 5s')
        self.assertNotContains(res, '0 of 0')


@override_settings(POLICY_CHECK_FUNCTION='openstack_auth.policy.check')
class PolicyTestCase(test.TestCase):
    """The API's policy, with Horizon's own check."""

    def setUp(self):
        super().setUp()
        auth_policy.reset()
        self.addCleanup(auth_policy.reset)


class ReaderTests(PolicyTestCase):
    """A reader launches and deletes nothing, and sees no button to."""

    def _setup_user(self, **kwargs):
        super()._setup_user(roles=[{'id': '3', 'name': 'reader'}])

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_a_reader_sees_no_launch_delete_or_power_action(self):
        self.mock_server_list.return_value = fakes.result(fakes.servers())
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(INDEX_URL)

        table = res.context['instances_table']
        self.assertEqual(['check_health', 'filter'],
                         [a.name for a in table.get_table_actions()])
        self.assertEqual(['check_health'], [
            a.name for a in table.get_row_actions(table.data[0])])
        self.assertNotContains(res, 'instances__action_launch')
        self.assertNotContains(res, 'instances__action_delete')


class MemberPolicyTests(PolicyTestCase):

    @test.create_mocks({api.multios: ['server_list', 'image_list']})
    def test_a_member_acts_on_the_projects_servers_only(self):
        self.mock_server_list.return_value = fakes.result(
            fakes.servers() + [fakes.server(fakes.UUIDS['x1'], 'theirs',
                                            'gamma', project_id='other')])
        self.mock_image_list.return_value = fakes.images()

        table = self.client.get(INDEX_URL).context['instances_table']

        self.assertIn('launch', [a.name for a in table.get_table_actions()])
        actions = {s.name: sorted(a.name for a in table.get_row_actions(s))
                   for s in table.data}
        self.assertIn('delete', actions['web-1'])
        # Judged against the server's owner, as the API judges it.
        self.assertEqual(['check_health'], actions['theirs'])


class LaunchTests(test.TestCase):

    def _mock_choices(self):
        self.mock_image_list.return_value = fakes.images()
        self.mock_flavor_list.return_value = fakes.flavors()
        self.mock_cloud_list.return_value = fakes.clouds('alpha', 'beta',
                                                         'gamma')
        self.mock_keypair_list.return_value = self.keypairs.list()
        # The index a launch goes back to.
        self.mock_server_list.return_value = fakes.result()

    def _form(self, **extra):
        data = {'name': 'web', 'image': 'cirros', 'flavor': 'm1.tiny',
                'count': 2, 'cloud': '', 'key_name': '',
                'security_groups': 'default', 'networks': '',
                'user_data': ''}
        data.update(extra)
        return data

    MOCKS = {api.multios: ['image_list', 'flavor_list', 'cloud_list',
                           'placement_rank', 'server_launch', 'server_list'],
             nova: ['keypair_list']}

    @test.create_mocks(MOCKS)
    def test_form_offers_placement_key_pairs_and_an_import(self):
        self._mock_choices()

        form = self.client.get(LAUNCH_URL).context['form']

        self.assertEqual(['', 'alpha', 'beta', 'gamma'],
                         [c[0] for c in form.fields['cloud'].choices])
        self.assertEqual([('cirros', 'cirros (alpha, beta, gamma)')],
                         form.fields['image'].choices)
        keys = [c[0] for c in form.fields['key_name'].choices]
        self.assertEqual('', keys[0])
        self.assertEqual('__import__', keys[-1])
        self.assertIn(self.keypairs.first().name, keys)

    @test.create_mocks(MOCKS)
    def test_the_review_shows_each_instances_cloud_before_launching(self):
        self._mock_choices()
        self.mock_placement_rank.return_value = fakes.ranking(
            plan=('beta', 'alpha'))

        res = self.client.post(LAUNCH_URL, self._form())

        self.assertEqual(200, res.status_code)
        self.assertEqual([('web-1', 'beta'), ('web-2', 'alpha')],
                         res.context['review'].plan)
        self.assertContains(res, 'placement_plan')
        self.assertContains(res, 'quota: 0 instances left')
        self.assertContains(res, 'value="Launch"')
        self.assertNotContains(res, 'placement_warning')
        self.mock_server_launch.assert_not_called()
        self.assertEqual({'name': 'web', 'flavor': 'm1.tiny',
                          'image': 'cirros', 'count': 2, 'cloud': None,
                          'security_groups': ['default'], 'networks': None,
                          'user_data': None},
                         self.mock_placement_rank.call_args.kwargs)

    @test.create_mocks(MOCKS)
    def test_a_count_that_does_not_fit_is_a_warning_naming_why(self):
        self._mock_choices()
        self.mock_placement_rank.return_value = fakes.ranking(
            plan=('beta', 'beta', 'alpha'), unplaced=[
                {'cloud': 'alpha', 'reason': 'quota: 0 instances left'},
                {'cloud': 'beta', 'reason': 'quota: 0 cores left'}])

        res = self.client.post(LAUNCH_URL, self._form(count=5))

        self.assertContains(res, 'Only 3 of 5 instances fit')
        self.assertContains(res, 'beta</b>: quota: 0 cores left')
        self.assertContains(res, 'value="Launch 3 Instances"')
        # What is confirmed is what fits.
        self.assertContains(res, '<input type="hidden" name="count" '
                                 'value="3"', html=False)

    @test.create_mocks(MOCKS)
    def test_no_launch_button_when_no_cloud_fits(self):
        self._mock_choices()
        self.mock_placement_rank.return_value = fakes.ranking(plan=())

        res = self.client.post(LAUNCH_URL, self._form())

        self.assertContains(res, 'No cloud can take this launch.')
        self.assertNotContains(res, 'class="btn btn-primary" type="submit"')

    @test.create_mocks(MOCKS)
    def test_confirmed_launch_returns_at_once_naming_each_cloud(self):
        self._mock_choices()
        self.mock_server_launch.return_value = fakes.launch(servers=[
            fakes.launch_item('web', 'gamma')])

        res = self.client.post(LAUNCH_URL, self._form(
            cloud='gamma', count=1, confirmed='True',
            user_data='#!/bin/sh\necho hi', networks='private, public',
            key_name='__import__', public_key=' ssh-ed25519 AAAA me '),
            follow=True)

        self.assertNoFormErrors(res)
        self.assertContains(
            res, 'Launch req-1 of &quot;web&quot; accepted: web on gamma.')
        self.assertEqual({'name': 'web', 'flavor': 'm1.tiny',
                          'image': 'cirros', 'count': 1, 'cloud': 'gamma',
                          'security_groups': ['default'],
                          'networks': ['private', 'public'],
                          'user_data': '#!/bin/sh\necho hi',
                          'public_key': 'ssh-ed25519 AAAA me'},
                         self.mock_server_launch.call_args.kwargs)

    @test.create_mocks(MOCKS)
    def test_an_import_needs_a_public_key(self):
        self._mock_choices()

        res = self.client.post(LAUNCH_URL, self._form(
            key_name='__import__'))

        self.assertFormErrors(res, 1, 'Paste the public key to import, or '
                                      'choose a key pair.')
        self.mock_placement_rank.assert_not_called()

    @test.create_mocks(MOCKS)
    def test_a_refused_launch_says_why(self):
        self._mock_choices()
        self.mock_server_launch.side_effect = exceptions.Conflict(
            'No valid cloud: beta: quota exceeded; alpha: no image cirros')

        res = self.client.post(LAUNCH_URL, self._form(confirmed='True'),
                               follow=True)

        self.assertContains(res, 'beta: quota exceeded; alpha: no image')


class DetailTests(test.TestCase):

    def server(self, **extra):
        server = fakes.server(
            A1, 'web-1', 'alpha', launch_id='req-1', key_name='mykey',
            attempts=[{'cloud': 'beta', 'outcome': 'error',
                       'reason': 'No valid host was found.'},
                      {'cloud': 'alpha', 'outcome': 'active',
                       'reason': None}], **extra)
        return server

    MOCKS = {api.multios: ['server_get', 'launch_get', 'image_list',
                           'server_console_output']}

    @test.create_mocks(MOCKS)
    def test_overview_asks_its_cloud_and_shows_owner_and_actions(self):
        self.mock_server_get.return_value = self.server()
        self.mock_launch_get.return_value = fakes.launch()
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(detail_url(A1) + '?cloud=alpha')

        self.assertTemplateUsed(res, 'horizon/common/_detail.html')
        self.mock_server_get.assert_called_once_with(
            test.IsHttpRequest(), A1, cloud='alpha')
        self.assertContains(res, '<dd id="instance_cloud">alpha</dd>',
                            html=True)
        self.assertContains(res, self.tenant.name)
        self.assertContains(res, 'mykey')
        self.assertContains(res, 'cirros')
        self.assertContains(res, 'Shut Off Instance')  # its row actions

    @test.create_mocks(MOCKS)
    def test_placement_tab_has_every_attempt_and_the_ranking(self):
        self.mock_server_get.return_value = self.server()
        self.mock_launch_get.return_value = fakes.launch(
            placement=fakes.ranking().to_dict())
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(detail_url(A1) + '?cloud=alpha&tab='
                              'instance_details__placement')

        self.assertContains(res, 'placement_attempts')
        self.assertContains(res, 'No valid host was found.')
        self.assertContains(res, 'placement_ranking')
        self.assertContains(res, 'quota: 0 instances left')

    @test.create_mocks(MOCKS)
    def test_log_tab_shows_the_console(self):
        self.mock_server_get.return_value = self.server()
        self.mock_launch_get.return_value = fakes.launch()
        self.mock_image_list.return_value = fakes.images()
        self.mock_server_console_output.return_value = 'login: '

        res = self.client.get(detail_url(A1) + '?cloud=alpha&tab='
                              'instance_details__log')

        self.assertContains(res, 'login: ')

    @test.create_mocks(MOCKS)
    def test_error_instance_shows_its_fault(self):
        self.mock_server_get.return_value = self.server(
            status='ERROR', fault={'code': 500, 'message': 'Exploded.',
                                   'created': '2026-11-23T10:00:00Z'})
        self.mock_launch_get.side_effect = exceptions.NotFound('forgotten')
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(detail_url(A1))

        self.assertContains(res, 'instance_fault')
        self.assertContains(res, 'Exploded.')

    @test.create_mocks({api.multios: ['server_get']})
    def test_a_server_not_found_goes_back_to_the_list(self):
        self.mock_server_get.side_effect = exceptions.NotFound('gone')

        res = self.client.get(detail_url(A1))

        self.assertRedirectsNoFollow(res, INDEX_URL)


class ServersHelperTests(test.TestCase):

    def test_object_ids_of_servers_and_of_instances_not_made_yet(self):
        self.assertEqual(A1, servers.object_id(fakes.server(A1, 'a', 'b')))
        self.assertEqual('launch:req-9:vm-2', servers.object_id(
            fakes.server(None, 'vm-2', None, launch_id='req-9')))
