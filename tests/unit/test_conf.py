# SPDX-License-Identifier: Apache-2.0
"""Configuration: option groups, cloud sources and start-up validation."""

import os
import tempfile
import textwrap
import unittest
from unittest import mock

from oslo_config import cfg

from multios import conf as multios_conf
from multios.conf import cloud_sources
from multios.conf import fping
from multios import exception

ALPHA = """
[cloud:alpha]
auth_url = http://127.0.0.1:5000/v3
username = admin
password = s3cret-alpha
project_name = admin
"""


class ConfTestCase(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(textwrap.dedent(text))
        return path

    def load(self, text, *extra_args):
        path = self.write('multios.conf', text)
        conf = cfg.ConfigOpts()
        return multios_conf.load(['--config-file', path] + list(extra_args),
                                 conf=conf)

    def assertConfigError(self, message, text, *extra_args):
        with self.assertRaises(exception.ConfigError) as ctx:
            self.load(text, *extra_args)
        self.assertIn(message, str(ctx.exception))
        return str(ctx.exception)


class LoadTest(ConfTestCase):

    def test_valid_config_gives_the_clouds_settings(self):
        conf = self.load('[DEFAULT]\nclouds = alpha\n' + ALPHA +
                         '[placement]\nstrategy = pack\n')
        settings = cloud_sources.read(conf)
        self.assertEqual(['alpha'], list(settings))
        alpha = settings['alpha']
        self.assertEqual('http://127.0.0.1:5000/v3', alpha.auth_url)
        self.assertEqual('Default', alpha.user_domain_name)
        self.assertEqual(10.0, alpha.api_timeout)
        self.assertTrue(alpha.enabled)
        self.assertEqual('pack', conf.placement.strategy)
        self.assertNotIn('s3cret', repr(alpha))

    def test_network_aliases_map_names_and_a_bad_one_names_the_option(self):
        conf = self.load('[DEFAULT]\nclouds = alpha\n' + ALPHA +
                         'network_aliases = public:ext-net, lan:private\n')
        self.assertEqual({'public': 'ext-net', 'lan': 'private'},
                         cloud_sources.read(conf)['alpha'].network_aliases)
        self.assertEqual({}, cloud_sources.read(self.load(
            '[DEFAULT]\nclouds = alpha\n' + ALPHA))['alpha'].network_aliases)
        self.assertConfigError(
            '[cloud:alpha] network_aliases:',
            '[DEFAULT]\nclouds = alpha\n' + ALPHA +
            'network_aliases = public\n')

    def test_unknown_cloud_group_names_the_group(self):
        self.assertConfigError(
            '[cloud:alpha] is not listed in [DEFAULT] clouds',
            '[DEFAULT]\nclouds = beta\n' + ALPHA)

    def test_listed_cloud_without_group_is_an_error(self):
        self.assertConfigError('[DEFAULT] clouds: beta has no [cloud:beta]',
                               '[DEFAULT]\nclouds = alpha,beta\n' + ALPHA)

    def test_missing_auth_url_names_the_option(self):
        self.assertConfigError(
            '[cloud:alpha] auth_url is required',
            '[DEFAULT]\nclouds = alpha\n' +
            ALPHA.replace('auth_url = http://127.0.0.1:5000/v3\n', ''))

    def test_bad_strategy_names_the_option(self):
        message = self.assertConfigError(
            '[placement] strategy:',
            '[DEFAULT]\nclouds = alpha\n' + ALPHA +
            '[placement]\nstrategy = random\n')
        self.assertIn("'random'", message)

    def test_bad_cloud_value_names_group_and_option_not_password(self):
        message = self.assertConfigError(
            '[cloud:alpha] api_timeout:',
            '[DEFAULT]\nclouds = alpha\n' + ALPHA + 'api_timeout = soon\n')
        self.assertNotIn('s3cret', message)

    def test_bad_health_value_names_the_option(self):
        self.assertConfigError(
            '[health] failure_threshold:',
            '[DEFAULT]\nclouds = alpha\n' + ALPHA +
            '[health]\nfailure_threshold = 0\n')

    def test_missing_config_file_is_a_config_error(self):
        conf = cfg.ConfigOpts()
        with self.assertRaises(exception.ConfigError) as ctx:
            multios_conf.load(['--config-file', '/nonexistent/m.conf'],
                              conf=conf)
        self.assertIn('/nonexistent/m.conf', str(ctx.exception))

    def test_register_opts_twice_is_harmless(self):
        conf = cfg.ConfigOpts()
        multios_conf.register_opts(conf)
        multios_conf.register_opts(conf)
        conf([])
        self.assertEqual('spread', conf.placement.strategy)


class UnknownOptionTest(ConfTestCase):
    """A misspelt option is an error in MultiOS's groups, else a warning."""

    MAIN = '[DEFAULT]\nclouds = alpha\n' + ALPHA

    def test_misspelt_cloud_option_is_an_error_with_the_close_match(self):
        message = self.assertConfigError(
            '[cloud:alpha] api_timout is not a known option (did you mean '
            'api_timeout?)', self.MAIN + 'api_timout = 3\n')
        self.assertNotIn('s3cret', message)
        self.assertConfigError('[cloud:alpha] verfy is not a known option '
                               '(did you mean verify?)',
                               self.MAIN + 'verfy = false\n')

    def test_misspelt_option_of_a_config_dir_cloud_is_an_error(self):
        self.write('conf.d/beta.conf',
                   ALPHA.replace('alpha', 'beta') + 'wieght = 2\n')
        self.assertConfigError(
            '[cloud:beta] wieght is not a known option (did you mean '
            'weight?)', self.MAIN,
            '--config-dir', os.path.join(self.tmp.name, 'conf.d'))

    def test_unknown_option_of_engine_is_an_error(self):
        """[engine] came after this check: it is covered by itself."""
        self.assertConfigError(
            '[engine] adopt_afer is not a known option (did you mean '
            'adopt_after?)', self.MAIN + '[engine]\nadopt_afer = 5\n')

    def test_unknown_option_of_a_static_group_is_an_error(self):
        self.assertConfigError(
            '[placement] stratgy is not a known option (did you mean '
            'strategy?)', self.MAIN + '[placement]\nstratgy = pack\n')
        self.assertConfigError('[health] nonsense is not a known option',
                               self.MAIN + '[health]\nnonsense = 1\n')

    def test_every_group_registered_through_groups_is_owned(self):
        """A group added later (the [api] options...) is checked by itself."""
        from multios_api_ext import conf as api_conf
        path = self.write('multios.conf', self.MAIN +
                          '[api]\nfping_rate_limt = 3\n')
        conf = cfg.ConfigOpts()
        api_conf.register_opts(conf)
        with self.assertRaises(exception.ConfigError) as ctx:
            multios_conf.load(['--config-file', path], conf=conf)
        self.assertIn('[api] fping_rate_limt is not a known option (did you '
                      'mean fping_rate_limit?)', str(ctx.exception))

    def test_unknown_default_option_is_a_warning(self):
        with self.assertLogs('multios.conf', 'WARNING') as logs:
            conf = self.load('[DEFAULT]\nclouds = alpha\ndebg = true\n' +
                             ALPHA)
        self.assertEqual(['alpha'], list(cloud_sources.read(conf)))
        self.assertIn('[DEFAULT] debg is not a known option (did you mean '
                      'debug?)', logs.output[0])

    def test_default_is_shared_so_only_a_likely_misspelling_warns(self):
        """multios-api's host and port are no options of the CLI."""
        with mock.patch.object(multios_conf.LOG, 'warning') as warning:
            self.load('[DEFAULT]\nclouds = alpha\nhost = 0.0.0.0\n'
                      'port = 8790\n' + ALPHA)
        warning.assert_not_called()

    def test_unknown_option_of_a_library_group_is_a_warning(self):
        """[database] is oslo.db's: MultiOS does not own it."""
        with self.assertLogs('multios.conf', 'WARNING') as logs:
            self.load(self.MAIN + '[database]\nconection = sqlite://\n')
        self.assertIn('[database] conection is not a known option (did you '
                      'mean connection?)', logs.output[0])

    def test_misspelt_group_is_a_warning(self):
        with self.assertLogs('multios.conf', 'WARNING') as logs:
            self.load(self.MAIN + '[placment]\nstrategy = pack\n')
        self.assertIn('[placment] is not a known group (did you mean '
                      '[placement]?)', logs.output[0])

    def test_groups_nothing_registered_and_plugin_groups_pass(self):
        """[keystone_authtoken]: its options depend on its auth plugin."""
        path = self.write('multios.conf', self.MAIN +
                          '[oslo_policy]\npolicy_file = p.yaml\n'
                          '[keystone_authtoken]\nauth_type = password\n'
                          'username = u\n')
        conf = cfg.ConfigOpts()
        conf.register_opts([cfg.StrOpt('auth_type')],
                           group='keystone_authtoken')
        with mock.patch.object(multios_conf.LOG, 'warning') as warning:
            multios_conf.load(['--config-file', path], conf=conf)
        warning.assert_not_called()


class UnreadableFileTest(ConfTestCase):
    """oslo.config names neither a binary file nor a directory."""

    def assertOneLine(self, expected, *args):
        with self.assertRaises(exception.ConfigError) as ctx:
            multios_conf.load(list(args), conf=cfg.ConfigOpts())
        message = str(ctx.exception)
        self.assertIn(expected, message)
        self.assertEqual(1, len(message.splitlines()))

    def binary(self, name):
        path = os.path.join(self.tmp.name, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(b'\x7fELF\x02\x01\x01\x00\xff\xfe')
        return path

    def test_binary_config_file(self):
        path = self.binary('multios.conf')
        self.assertOneLine('%s is not a text file: byte 0xff at offset 8 is '
                           'not UTF-8' % path, '--config-file', path)

    def test_binary_file_among_several(self):
        good = self.write('good.conf', '[DEFAULT]\n')
        path = self.binary('bad.conf')
        self.assertOneLine('%s is not a text file' % path,
                           '--config-file', good, '--config-file', path)

    def test_binary_file_in_config_dir(self):
        path = self.binary('conf.d/beta.conf')
        self.assertOneLine('%s is not a text file' % path,
                           '--config-dir', os.path.dirname(path))

    def test_directory_as_config_file(self):
        self.assertOneLine('%s is a directory, not a configuration file'
                           % self.tmp.name, '--config-file', self.tmp.name)

    def test_binary_default_config_file(self):
        path = self.binary('multios.conf')
        with self.assertRaises(exception.ConfigError) as ctx:
            multios_conf.load([], conf=cfg.ConfigOpts(),
                              default_config_files=[path])
        self.assertIn('%s is not a text file' % path, str(ctx.exception))


class CloudSourcesTest(ConfTestCase):

    def test_config_dir_files_add_clouds_without_listing(self):
        self.write('conf.d/beta.conf', ALPHA.replace('alpha', 'beta'))
        conf = self.load('[DEFAULT]\nclouds = alpha\n' + ALPHA,
                         '--config-dir', os.path.join(self.tmp.name, 'conf.d'))
        settings = cloud_sources.read(conf)
        self.assertEqual(['alpha', 'beta'], list(settings))
        self.assertTrue(settings['beta'].source.endswith('beta.conf'))

    def test_cloud_defined_twice_is_an_error(self):
        self.write('conf.d/again.conf', ALPHA)
        self.assertConfigError(
            '[cloud:alpha] in', '[DEFAULT]\nclouds = alpha\n' + ALPHA,
            '--config-dir', os.path.join(self.tmp.name, 'conf.d'))

    def test_clouds_yaml_supplies_listed_clouds_without_group(self):
        yaml_path = self.write('clouds.yaml', """
            clouds:
              gamma:
                auth:
                  auth_url: http://127.0.0.1:5001/v3
                  username: ops
                  password: pw
                  project_name: ops
                region_name: RegionTwo
                api_timeout: 3
              unrelated:
                auth: {auth_url: http://example.invalid/v3}
            """)
        conf = self.load('[DEFAULT]\nclouds = alpha,gamma\nclouds_yaml = %s\n'
                         % yaml_path + ALPHA)
        settings = cloud_sources.read(conf)
        self.assertEqual(['alpha', 'gamma'], list(settings))
        self.assertEqual('RegionTwo', settings['gamma'].region_name)
        self.assertEqual(3.0, settings['gamma'].api_timeout)
        self.assertEqual('ops', settings['gamma'].username)

    def test_clouds_yaml_entry_missing_auth_url(self):
        yaml_path = self.write('clouds.yaml', """
            clouds:
              gamma:
                auth: {username: ops, password: pw, project_name: ops}
            """)
        self.assertConfigError(
            '[cloud:gamma] auth_url is required',
            '[DEFAULT]\nclouds = gamma\nclouds_yaml = %s\n' % yaml_path)

    def test_stamp_changes_when_a_dir_file_is_added(self):
        conf_d = os.path.join(self.tmp.name, 'conf.d')
        os.makedirs(conf_d)
        conf = self.load('[DEFAULT]\nclouds = alpha\n' + ALPHA,
                         '--config-dir', conf_d)
        before = cloud_sources.stamp(conf)
        self.assertEqual(before, cloud_sources.stamp(conf))
        self.write('conf.d/beta.conf', ALPHA.replace('alpha', 'beta'))
        self.assertNotEqual(before, cloud_sources.stamp(conf))


class FpingPathTest(unittest.TestCase):

    def test_usr_sbin_is_preferred(self):
        with mock.patch('os.path.exists', return_value=True):
            self.assertEqual('/usr/sbin/fping', fping.default_fping_path())

    def test_debian_usr_bin_when_only_there(self):
        with mock.patch('os.path.exists',
                        side_effect=lambda p: p == '/usr/bin/fping'):
            self.assertEqual('/usr/bin/fping', fping.default_fping_path())

    def test_usr_sbin_when_none_exists(self):
        with mock.patch('os.path.exists', return_value=False):
            self.assertEqual('/usr/sbin/fping', fping.default_fping_path())
