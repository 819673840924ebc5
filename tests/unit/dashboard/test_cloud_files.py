"""Registered cloud files, as the core's federation reads them back."""

import os
import shutil
import stat
import tempfile
from unittest import mock

from django.test.utils import override_settings
from openstack_dashboard.test import helpers as test

from multios_dashboard import api
from multios_dashboard.api import cloud_files
from tests.unit.test_config_files import PASSWORDS

MAIN_CONF = """[DEFAULT]
clouds = alpha

[cloud:alpha]
auth_url = http://127.0.0.1:1/v3
username = admin
password = alpha-secret
project_name = admin
"""


class FederationReadsRegisteredCloudsTests(test.TestCase):

    def setUp(self):
        super().setUp()
        directory = tempfile.mkdtemp(prefix='multios-dashboard-')
        self.addCleanup(shutil.rmtree, directory)
        config_file = os.path.join(directory, 'multios.conf')
        with open(config_file, 'w') as f:
            f.write(MAIN_CONF.replace(
                '[DEFAULT]\n', '[DEFAULT]\nstate_path = %s\n' % directory))
        self.clouds_dir = os.path.join(directory, 'clouds.d')
        settings = override_settings(MULTIOS_CONFIG_FILE=config_file,
                                     MULTIOS_CONFIG_DIR=self.clouds_dir)
        settings.enable()
        self.addCleanup(settings.disable)
        # A fresh process-wide core for each test.
        patcher = mock.patch.object(api.multios, '_core', None)
        patcher.start()
        self.addCleanup(patcher.stop)

    def _clouds(self):
        return {cloud.name: cloud.enabled
                for cloud in api.multios.cloud_list(self.request)}

    def test_registered_cloud_joins_and_leaves_without_restart(self):
        self.assertEqual({'alpha': True}, self._clouds())
        self.assertEqual(0o700, stat.S_IMODE(os.stat(self.clouds_dir)
                                             .st_mode))

        cloud_files.register('delta', {
            'auth_url': 'http://127.0.0.1:2/v3', 'username': 'operator',
            'password': 'delta-secret', 'project_name': 'admin',
            'weight': 2.0})
        self.assertEqual({'alpha': True, 'delta': True}, self._clouds())

        cloud_files.set_options('delta', enabled=False)
        self.assertEqual({'alpha': True, 'delta': False}, self._clouds())

        cloud_files.remove('delta')
        self.assertEqual({'alpha': True}, self._clouds())

    def test_registered_file_is_private_and_named_after_the_cloud(self):
        cloud_files.register('delta', {'auth_url': 'http://127.0.0.1:2/v3',
                                       'username': 'u', 'password': 'p',
                                       'project_name': 'x'})
        path = os.path.join(self.clouds_dir, 'delta.conf')
        self.assertEqual(0o600, stat.S_IMODE(os.stat(path).st_mode))
        self.assertEqual(['delta.conf'], os.listdir(self.clouds_dir))

    def test_name_cannot_leave_the_directory(self):
        for name in ('../x', 'a/b', '', 'UPPER', '.hidden'):
            self.assertFalse(cloud_files.valid_name(name), name)
            self.assertRaises(ValueError, cloud_files.path, name)

    def test_passwords_read_back_as_registered(self):
        """A "$" in a password broke the federation and the running API."""
        federation = api.multios.federation()
        for index, password in enumerate(PASSWORDS):
            name = 'pw%d' % index
            cloud_files.register(name, {
                'auth_url': 'http://127.0.0.1:2/v3', 'username': 'u',
                'password': password, 'project_name': 'x'})
            cloud_files.set_options(name, enabled=False)
            cloud = federation.cloud(name)
            self.assertEqual(password, cloud.settings.password)
            self.assertFalse(cloud.enabled)
