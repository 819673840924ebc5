# SPDX-License-Identifier: Apache-2.0
"""Clouds registered through the API: encrypted, shared, checked first."""

import os
import stat
import unittest
from unittest import mock

from oslo_config import cfg

from multios import conf as multios_conf
from multios.conf import files
from multios import credentials
from multios.db import models
from multios import exception
from multios import federation as federation_mod
from multios import registry as registry_mod
from tests.unit import db_helpers

ACCOUNT = {'auth_url': 'http://127.0.0.1:1/v3', 'username': 'operator',
           'password': 'Sup3r$ecret', 'project_name': 'admin'}


class KeyRepositoryTest(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = db_helpers.make_conf(self)
        self.keys = credentials.KeyRepository(
            self.conf.credential.key_repository)

    def test_setup_once_then_encrypts_and_decrypts(self):
        self.assertTrue(self.keys.setup())
        self.assertFalse(self.keys.setup())
        token = self.keys.encrypt('Sup3r$ecret')
        self.assertNotIn('Sup3r', token)
        self.assertEqual('Sup3r$ecret', self.keys.decrypt(token))
        key_file = os.path.join(self.keys.path, '0')
        self.assertEqual(0o600, stat.S_IMODE(os.stat(key_file).st_mode))
        self.assertEqual(0o700, stat.S_IMODE(os.stat(self.keys.path).st_mode))

    def test_a_rotation_keeps_old_secrets_readable(self):
        self.keys.setup()
        old = self.keys.encrypt('before')
        self.assertEqual(1, self.keys.rotate())
        self.assertEqual('before', self.keys.decrypt(old))
        self.assertEqual('after', self.keys.decrypt(self.keys.encrypt(
            'after')))

    def test_other_keys_cannot_read_a_secret_and_say_so(self):
        self.keys.setup()
        token = self.keys.encrypt('x')
        other = credentials.KeyRepository(self.keys.path + '-other')
        other.setup()
        with self.assertRaises(exception.ConfigError) as caught:
            other.decrypt(token)
        self.assertIn('cannot be decrypted', str(caught.exception))

    def test_no_key_names_the_command(self):
        self.assertRaisesRegex(exception.ConfigError,
                               'multios-manage credential setup',
                               self.keys.encrypt, 'x')


class RegistryTest(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = db_helpers.make_conf(self)
        self.db = db_helpers.make_database(self, self.conf)
        patcher = mock.patch.object(registry_mod, 'check_account')
        self.check = patcher.start()
        self.addCleanup(patcher.stop)
        self.now = 0.0

    def registry(self):
        return registry_mod.CloudRegistry(self.db, self.conf,
                                          clock=lambda: self.now)

    def test_registered_cloud_is_checked_stored_encrypted_and_read_back(self):
        registry = self.registry()
        registry.register('delta', dict(ACCOUNT, weight=2.0,
                                        network_aliases={'lan': 'private'}),
                          {})
        checked, = self.check.call_args.args[:1]
        self.assertEqual(('delta', 'Sup3r$ecret', 2.0),
                         (checked.name, checked.password, checked.weight))
        row = self.db.run(lambda s: s.get(models.RegisteredCloud, 'delta'))
        self.assertNotIn('Sup3r', row.secret + row.settings)
        [settings] = self.registry().read().values()
        self.assertEqual(('delta', registry_mod.SOURCE, 'Sup3r$ecret',
                          {'lan': 'private'}),
                         (settings.name, settings.source, settings.password,
                          settings.network_aliases))

    def test_settings_left_unset_stay_unset_when_read_back(self):
        self.registry().register('delta', ACCOUNT, {})
        settings = self.registry().read()['delta']
        # Stored as null, not read back as the text "None": a region named
        # "None" finds no compute endpoint, a cacert "None" no file.
        self.assertEqual((None, None),
                         (settings.region_name, settings.cacert))

    def test_an_account_that_fails_its_check_is_not_stored(self):
        self.check.side_effect = exception.Invalid(reason='cannot log in')
        self.assertRaises(exception.Invalid, self.registry().register,
                          'delta', ACCOUNT, {})
        self.assertEqual({}, self.registry().read())

    def test_a_name_already_defined_is_a_conflict_naming_where(self):
        configured = {'alpha': mock.Mock(source='/etc/multios/multios.conf')}
        with self.assertRaises(exception.Conflict) as caught:
            self.registry().register('alpha', ACCOUNT, configured)
        self.assertIn('/etc/multios/multios.conf', str(caught.exception))
        self.registry().register('delta', ACCOUNT, {})
        with self.assertRaises(exception.Conflict) as caught:
            self.registry().register('delta', ACCOUNT, {})
        self.assertIn('cloud delta is already registered',
                      str(caught.exception))

    def test_only_enabled_draining_and_weight_change(self):
        registry = self.registry()
        registry.register('delta', ACCOUNT, {})
        registry.update('delta', {'enabled': False, 'weight': 3.0})
        settings = registry.read()['delta']
        self.assertEqual((False, 3.0), (settings.enabled, settings.weight))
        self.assertRaises(exception.Invalid, registry.update, 'delta',
                          {'password': 'x'})
        self.assertRaises(exception.CloudNotFound, registry.update, 'zeta',
                          {'enabled': True})

    def test_another_process_sees_a_change_within_the_stamp_interval(self):
        elsewhere = federation_mod.Federation(self.conf, self.registry())
        self.assertEqual([], elsewhere.clouds())
        self.registry().register('delta', ACCOUNT, {})
        self.now += registry_mod.STAMP_INTERVAL - 0.1
        self.assertEqual([], elsewhere.clouds())
        self.now += 0.1
        self.assertEqual(['delta'], [c.name for c in elsewhere.clouds()])
        self.registry().remove('delta')
        self.now += registry_mod.STAMP_INTERVAL
        self.assertEqual([], elsewhere.clouds())

    def test_a_database_outage_leaves_the_configured_clouds(self):
        path = os.path.join(self.conf.state_path, 'multios.conf')
        with open(path, 'w') as config_file:
            config_file.write('[DEFAULT]\nclouds = alpha\n[cloud:alpha]\n' +
                              ''.join('%s = %s\n' % (key, files.ini_value(
                                  value)) for key, value in ACCOUNT.items()))
        config = multios_conf.load(['--config-file', path],
                                   conf=cfg.ConfigOpts())
        broken = mock.Mock(**{'stamp.side_effect':
                              exception.DatabaseUnavailable(reason='down')})
        federation = federation_mod.Federation(config, broken)
        self.assertEqual(['alpha'], [c.name for c in federation.clouds()])
        broken.read.assert_not_called()
