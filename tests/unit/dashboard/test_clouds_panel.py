# SPDX-License-Identifier: Apache-2.0
"""The admin Clouds panel, its API functions mocked."""

from django.urls import reverse
from horizon import exceptions
from openstack_dashboard.api import keystone
from openstack_dashboard.test import helpers as test

from multios_dashboard import api
from tests.unit.dashboard import fakes

INDEX_URL = reverse('horizon:admin:multios_clouds:index')
REGISTER_URL = reverse('horizon:admin:multios_clouds:register')
SECRET = 'S3cret-never-shown'
CONFIG = '/etc/multios/multios.conf'


def statuses():
    usage = {'instances': {'used': 3, 'limit': 10},
             'cores': {'used': 3, 'limit': 20},
             'ram': {'used': 1536, 'limit': -1}}
    return fakes.result([
        fakes.cloud_status('alpha', usage=usage),
        fakes.cloud_status('beta', 'down', latency_ms=None,
                           reason='connection refused'),
        fakes.cloud_status('gamma', 'circuit_open', source='registered',
                           latency_ms=None, reason='3 failures in a row'),
        fakes.cloud_status('delta', source='registered', draining=True,
                           usage=usage),
        fakes.cloud_status('omega', 'disabled', source='registered')])


def clouds_table(res):
    return res.context['tab_group'].get_tab('clouds')._tables['clouds']


class CloudsIndexTests(test.BaseAdminViewTests):

    @test.create_mocks({api.multios: ['cloud_list']})
    def test_each_cloud_shows_state_latency_usage_and_source(self):
        self.mock_cloud_list.return_value = statuses()

        res = self.client.get(INDEX_URL)

        self.assertTemplateUsed(res, 'admin/multios_clouds/index.html')
        cells = {row.datum.name: row.cells
                 for row in clouds_table(res).get_rows()}
        self.assertEqual('Up', str(cells['alpha']['state'].value))
        self.assertEqual('Circuit Open', str(cells['gamma']['state'].value))
        self.assertEqual('No', str(cells['alpha']['draining'].value))
        self.assertEqual('Yes', str(cells['delta']['draining'].value))
        self.assertEqual('12 ms', str(cells['alpha']['latency'].value))
        self.assertIn('3 of 10', str(cells['alpha']['instances'].value))
        self.assertIn('width: 30', str(cells['alpha']['instances'].value))
        self.assertIn('1536, no limit', str(cells['alpha']['ram'].value))
        self.assertEqual('connection refused',
                         str(cells['beta']['reason'].value))
        self.assertContains(res, 'RAM (MiB)')
        self.assertNotContains(res, '(MB)')

    @test.create_mocks({api.multios: ['cloud_list']})
    def test_actions_for_registered_clouds_a_tooltip_for_the_others(self):
        self.mock_cloud_list.return_value = statuses()

        res = self.client.get(INDEX_URL)

        table = clouds_table(res)
        actions = {row.datum.name: sorted(a.name for a in
                                          table.get_row_actions(row.datum))
                   for row in table.get_rows()}
        self.assertEqual([], actions['alpha'])
        self.assertEqual(['delete', 'disable', 'drain'], actions['gamma'])
        self.assertEqual(['delete', 'disable', 'undrain'], actions['delta'])
        self.assertEqual(['delete', 'drain', 'enable'], actions['omega'])
        source = str({row.datum.name: row.cells for row in
                      table.get_rows()}['alpha']['source'].value)
        self.assertIn('title="Defined in %s: change it in that file."'
                      % CONFIG, source)

    @test.create_mocks({api.multios: ['cloud_list', 'cloud_update',
                                      'cloud_delete']})
    def test_row_actions_change_the_cloud_through_the_api(self):
        self.mock_cloud_list.return_value = statuses()

        for action in ('disable__gamma', 'drain__gamma', 'undrain__delta',
                       'enable__omega', 'delete__gamma'):
            res = self.client.post(INDEX_URL,
                                   {'action': 'clouds__' + action})
            self.assertRedirectsNoFollow(res, INDEX_URL)

        self.assertEqual([
            (('gamma',), {'enabled': False}),
            (('gamma',), {'draining': True}),
            (('delta',), {'draining': False}),
            (('omega',), {'enabled': True})],
            [(c.args[1:], c.kwargs)
             for c in self.mock_cloud_update.call_args_list])
        self.mock_cloud_delete.assert_called_once_with(
            test.IsHttpRequest(), 'gamma')

    @test.create_mocks({api.multios: ['cloud_list', 'cloud_update']})
    def test_a_configured_cloud_is_never_changed_from_here(self):
        self.mock_cloud_list.return_value = statuses()

        self.client.post(INDEX_URL, {'action': 'clouds__disable__alpha'})

        self.mock_cloud_update.assert_not_called()

    @test.create_mocks({api.multios: ['cloud_list', 'server_list',
                                      'image_list'],
                        keystone: ['tenant_list']})
    def test_admin_sees_every_projects_instances_by_project_name(self):
        self.mock_cloud_list.return_value = statuses()
        self.mock_server_list.return_value = fakes.result(
            [fakes.server(fakes.UUIDS['x1'], 'other', 'beta',
                          project_id='p-other')] + fakes.servers())
        self.mock_image_list.return_value = fakes.images()
        self.mock_tenant_list.return_value = (
            [type('Project', (), {'id': 'p-other', 'name': 'research'})()],
            False)

        res = self.client.get(INDEX_URL + '?tab=federation__instances')

        self.mock_server_list.assert_called_once_with(
            test.IsHttpRequest(), all_tenants=True)
        table = res.context['tab_group'].get_tab('instances')._tables[
            'all_instances']
        projects = {row.datum.name: str(row.cells['project'].value)
                    for row in table.get_rows()}
        self.assertEqual('research', projects['other'])
        self.assertEqual(self.tenant.name, projects['web-1'])


class MemberTests(test.TestCase):

    @test.create_mocks({api.multios: ['cloud_list']})
    def test_member_cannot_open_the_panel(self):
        res = self.client.get(INDEX_URL)

        self.assertEqual(403, res.status_code)
        self.mock_cloud_list.assert_not_called()


class RegisterCloudTests(test.BaseAdminViewTests):

    def _form(self, **extra):
        data = {'name': 'delta', 'auth_url': 'http://127.0.0.1:5000/v3',
                'username': 'operator', 'password': SECRET,
                'project_name': 'admin', 'user_domain_name': 'Default',
                'project_domain_name': 'Default', 'region_name': '',
                'weight': '2.5'}
        data.update(extra)
        return data

    @test.create_mocks({api.multios: ['cloud_create']})
    def test_register_sends_the_account_to_the_api(self):
        res = self.client.post(REGISTER_URL, self._form())

        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_cloud_create.assert_called_once_with(
            test.IsHttpRequest(), 'delta',
            auth_url='http://127.0.0.1:5000/v3', username='operator',
            password=SECRET, project_name='admin',
            user_domain_name='Default', project_domain_name='Default',
            weight=2.5)

    @test.create_mocks({api.multios: ['cloud_create']})
    def test_a_refused_account_is_the_apis_reason_on_the_form(self):
        self.mock_cloud_create.side_effect = exceptions.BadRequest(
            'Invalid input: cloud delta: the account operator cannot '
            'authenticate at http://127.0.0.1:5000/v3: The request you '
            'have made requires authentication. (HTTP 401)')

        res = self.client.post(REGISTER_URL, self._form())

        self.assertFormErrors(res, 1)
        self.assertContains(res, 'cannot authenticate at '
                                 'http://127.0.0.1:5000/v3')
        self.assertNotContains(res, SECRET)

    @test.create_mocks({api.multios: ['cloud_create']})
    def test_a_taken_name_is_the_apis_conflict_on_the_form(self):
        self.mock_cloud_create.side_effect = exceptions.Conflict(
            'Conflict: cloud alpha is already defined in %s' % CONFIG)

        res = self.client.post(REGISTER_URL, self._form(name='alpha'))

        self.assertContains(res, 'cloud alpha is already defined in')

    @test.create_mocks({api.multios: ['cloud_create']})
    def test_a_bad_name_is_refused_before_the_api(self):
        res = self.client.post(REGISTER_URL, self._form(name='../etc'))

        self.assertFormErrors(res, 1)
        self.mock_cloud_create.assert_not_called()
