"""The admin Clouds panel, with the core API and Keystone mocked."""

import os
import shutil
import stat
import tempfile
from unittest import mock

from django.test.utils import override_settings
from django.urls import reverse
from openstack_dashboard.test import helpers as test

from multios import federation
from multios_dashboard import api
from multios_dashboard.api import cloud_files
from tests.unit.dashboard import fakes

INDEX_URL = reverse('horizon:admin:multios_clouds:index')
REGISTER_URL = reverse('horizon:admin:multios_clouds:register')
SECRET = 'S3cret-never-shown'


def statuses():
    usage = {'instances': {'used': 3, 'limit': 10},
             'cores': {'used': 3, 'limit': 20},
             'ram': {'used': 1536, 'limit': -1}}
    return [federation.CloudStatus('alpha', 'up', 12.3, None, usage),
            federation.CloudStatus('beta', 'down', None,
                                   'connection refused'),
            federation.CloudStatus('gamma', 'circuit_open', None,
                                   '3 failures in a row'),
            federation.CloudStatus('delta', 'up', 30.0, None, usage,
                                   draining=True)]


class CloudsDirMixin(object):
    """Each test gets its own, empty clouds config directory."""

    def setUp(self):
        super().setUp()
        self.clouds_dir = tempfile.mkdtemp(prefix='multios-clouds-')
        self.addCleanup(shutil.rmtree, self.clouds_dir)
        settings = override_settings(MULTIOS_CONFIG_DIR=self.clouds_dir)
        settings.enable()
        self.addCleanup(settings.disable)


class CloudsIndexTests(CloudsDirMixin, test.BaseAdminViewTests):

    @test.create_mocks({api.multios: ['cloud_status']})
    def test_each_cloud_shows_state_latency_and_usage(self):
        self.mock_cloud_status.return_value = statuses()

        res = self.client.get(INDEX_URL)

        self.assertTemplateUsed(res, 'admin/multios_clouds/index.html')
        table = res.context['tab_group'].get_tab('clouds')._tables['clouds']
        cells = {row.datum.name: row.cells for row in table.get_rows()}
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

    @test.create_mocks({api.multios: ['cloud_status', 'server_list',
                                      'image_list']})
    def test_admin_sees_every_projects_instances(self):
        self.mock_cloud_status.return_value = statuses()
        self.mock_server_list.return_value = fakes.result(
            [fakes.server('x1', 'other', 'beta', project_id='p-other')] +
            fakes.servers())
        self.mock_image_list.return_value = fakes.images()

        res = self.client.get(INDEX_URL + '?tab=federation__instances')

        self.mock_server_list.assert_called_once_with(
            test.IsHttpRequest(), all_tenants=True, cloud=None)
        self.assertContains(res, 'p-other')


class MemberTests(test.TestCase):

    @test.create_mocks({api.multios: ['cloud_status']})
    def test_member_cannot_open_the_panel(self):
        res = self.client.get(INDEX_URL)

        self.assertEqual(403, res.status_code)
        self.mock_cloud_status.assert_not_called()


class CloudsFileActionTests(CloudsDirMixin, test.BaseAdminViewTests):

    def _register_file(self, name):
        cloud_files.register(name, {'auth_url': 'http://127.0.0.1:1/v3',
                                    'username': 'u', 'password': SECRET,
                                    'project_name': 'p'})

    @test.create_mocks({api.multios: ['cloud_status']})
    def test_only_registered_clouds_can_be_changed(self):
        self._register_file('gamma')
        self._register_file('delta')
        self.mock_cloud_status.return_value = statuses()

        res = self.client.get(INDEX_URL)

        table = res.context['tab_group'].get_tab('clouds')._tables['clouds']
        actions = {row.datum.name: sorted(a.name for a in
                                          table.get_row_actions(row.datum))
                   for row in table.get_rows()}
        self.assertEqual([], actions['alpha'])
        self.assertEqual(['delete', 'disable', 'drain'], actions['gamma'])
        self.assertEqual(['delete', 'disable', 'undrain'], actions['delta'])

    @test.create_mocks({api.multios: ['cloud_status']})
    def test_disable_writes_enabled_false(self):
        self._register_file('gamma')
        self.mock_cloud_status.return_value = statuses()

        res = self.client.post(INDEX_URL, {'action': 'clouds__disable__gamma'})

        self.assertRedirectsNoFollow(res, INDEX_URL)
        with open(cloud_files.path('gamma')) as f:
            content = f.read()
        self.assertIn('enabled = False', content)
        self.assertIn('password = %s' % SECRET, content)

    @test.create_mocks({api.multios: ['cloud_status']})
    def test_drain_and_undrain_write_draining(self):
        self._register_file('gamma')
        self._register_file('delta')
        self.mock_cloud_status.return_value = statuses()

        drain = self.client.post(INDEX_URL,
                                 {'action': 'clouds__drain__gamma'})
        undrain = self.client.post(INDEX_URL,
                                   {'action': 'clouds__undrain__delta'})

        self.assertRedirectsNoFollow(drain, INDEX_URL)
        self.assertRedirectsNoFollow(undrain, INDEX_URL)
        with open(cloud_files.path('gamma')) as f:
            self.assertIn('draining = True', f.read())
        with open(cloud_files.path('delta')) as f:
            self.assertIn('draining = False', f.read())

    @test.create_mocks({api.multios: ['cloud_status']})
    def test_remove_deletes_the_file(self):
        self._register_file('gamma')
        self.mock_cloud_status.return_value = statuses()

        res = self.client.post(INDEX_URL, {'action': 'clouds__delete__gamma'})

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertFalse(os.path.exists(cloud_files.path('gamma')))


class RegisterCloudTests(CloudsDirMixin, test.BaseAdminViewTests):

    def _form(self, **extra):
        data = {'name': 'delta', 'auth_url': 'http://127.0.0.1:5000/v3',
                'username': 'operator', 'password': SECRET,
                'project_name': 'admin', 'user_domain_name': 'Default',
                'project_domain_name': 'Default', 'region_name': '',
                'weight': '2.5'}
        data.update(extra)
        return data

    @test.create_mocks({api.multios: ['cloud_list']})
    @mock.patch.object(cloud_files, 'authenticate')
    def test_register_writes_one_private_file(self, authenticate):
        self.mock_cloud_list.return_value = []

        res = self.client.post(REGISTER_URL, self._form())

        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        authenticate.assert_called_once()
        path = os.path.join(self.clouds_dir, 'delta.conf')
        self.assertEqual(['delta.conf'], os.listdir(self.clouds_dir))
        self.assertEqual(0o600, stat.S_IMODE(os.stat(path).st_mode))
        with open(path) as f:
            content = f.read()
        self.assertIn('[cloud:delta]', content)
        self.assertIn('weight = 2.5', content)
        self.assertNotIn('region_name', content)
        self.assertNotIn(SECRET, self.client.get(INDEX_URL + '?tab=x',
                                                 follow=True).content
                         .decode())

    @test.create_mocks({api.multios: ['cloud_list']})
    @mock.patch.object(cloud_files, 'authenticate')
    def test_refused_account_is_a_form_error_and_not_saved(self,
                                                           authenticate):
        self.mock_cloud_list.return_value = []
        authenticate.side_effect = cloud_files.AuthenticationFailed(
            'the user name, password, project or domain was refused')

        res = self.client.post(REGISTER_URL, self._form())

        self.assertFormErrors(res, 1)
        self.assertContains(res, 'Could not authenticate to '
                                 'http://127.0.0.1:5000/v3')
        self.assertNotContains(res, SECRET)
        self.assertEqual([], os.listdir(self.clouds_dir))

    @test.create_mocks({api.multios: ['cloud_list']})
    @mock.patch.object(cloud_files, 'authenticate')
    def test_existing_name_is_refused(self, authenticate):
        self.mock_cloud_list.return_value = [
            type('Cloud', (), {'name': 'delta'})()]

        res = self.client.post(REGISTER_URL, self._form())

        self.assertFormErrors(res, 1, 'A cloud named delta already exists.')
        authenticate.assert_not_called()

    @test.create_mocks({api.multios: ['cloud_list']})
    def test_bad_name_is_refused(self):
        self.mock_cloud_list.return_value = []

        res = self.client.post(REGISTER_URL, self._form(name='../etc'))

        self.assertFormErrors(res, 1)
        self.assertEqual([], os.listdir(self.clouds_dir))
