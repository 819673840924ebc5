# SPDX-License-Identifier: Apache-2.0
"""Configuration files: every writer's secrets read back unchanged.

oslo.config substitutes ``$name``, strips spaces and one pair of quotes:
each writer of a MultiOS, testbed or keystone_authtoken file must write a
password so that it reads back as it was.
"""

import os

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg
import pytest

from multios import conf as multios_conf
from multios.conf import cloud_sources
from multios.conf import files
from multios import exception
from multios_api_ext import authtoken
from tests.functional import helpers
from tests.testbed import testbed as testbed_mod

PASSWORDS = ['Sup3r$ecretPW', 'x$$y', 'trail$', '$', '$$', '${name}',
             '%s %(here)s %%', '"quoted"', "'single'", '"', "it's",
             ' spaced out ', '\tleading tab', 'пароль€', 'a=b;#c',
             '\\back\\slash', '#hash']
PASTE_INI = os.path.join(os.path.dirname(__file__), '..', '..', 'etc',
                         'multios', 'api-paste.ini')


def cloud_password(path):
    conf = multios_conf.load(['--config-file', str(path)],
                             conf=cfg.ConfigOpts())
    return {name: settings.password
            for name, settings in cloud_sources.read(conf).items()}


@pytest.mark.parametrize('password', PASSWORDS)
def test_ini_value_reads_back_through_oslo_config(tmp_path, password):
    path = tmp_path / 'multios.conf'
    path.write_text('[DEFAULT]\nclouds = alpha\n[cloud:alpha]\n'
                    'auth_url = http://127.0.0.1:1/v3\nusername = u\n'
                    'project_name = p\npassword = %s\n'
                    % files.ini_value(password), encoding='utf-8')
    assert cloud_password(path) == {'alpha': password}


def test_ini_value_refuses_what_takes_several_lines():
    for value in ('a\nb', 'a\rb'):
        with pytest.raises(ValueError):
            files.ini_value(value)


def make_testbed(tmp_path, password):
    """A Testbed of one cloud, never started, whose admin has ``password``."""
    bed = testbed_mod.Testbed(clouds=1, directory=tmp_path)
    bed.passwords = {'admin': password, 'demo': 'demo-pw'}
    bed.clouds = [testbed_mod.TestCloud(str(tmp_path), 1, 'alpha', 1, 2,
                                        bed.passwords)]
    return bed


@pytest.mark.parametrize('password', PASSWORDS)
def test_testbed_config_file(tmp_path, password):
    bed = make_testbed(tmp_path, password)
    bed._write_files()
    assert cloud_password(bed.config_file) == {'alpha': password}


@pytest.mark.parametrize('password', PASSWORDS)
def test_functional_helpers_write_config(tmp_path, password):
    bed = make_testbed(tmp_path, 'admin-pw')
    bed._write_files()
    copy = tmp_path / 'copy'
    copy.mkdir()
    path = helpers.write_config(bed, copy, password=password,
                                api_timeout=30)
    assert cloud_password(path) == {'alpha': password}


@pytest.mark.parametrize('password', PASSWORDS)
def test_authtoken_section_of_the_api_tests_and_the_demo(tmp_path, password):
    cloud = make_testbed(tmp_path, password).clouds[0]
    path = tmp_path / 'api.conf'
    path.write_text(cloud.authtoken_section(), encoding='utf-8')
    conf = cfg.ConfigOpts()
    conf(['--config-file', str(path)])
    authtoken.check(conf, PASTE_INI)  # reads it as auth_token will
    conf.register_opts(ks_loading.get_auth_plugin_conf_options('password'),
                       group=authtoken.GROUP)
    assert conf.keystone_authtoken.password == password
    assert conf.keystone_authtoken.username == 'admin'


class TestValueError:

    def error(self, tmp_path, text):
        path = tmp_path / 'multios.conf'
        path.write_text('[DEFAULT]\nclouds = alpha\n[cloud:alpha]\n'
                        'auth_url = http://127.0.0.1:1/v3\nproject_name = p\n'
                        + text)
        with pytest.raises(exception.ConfigError) as raised:
            cloud_password(path)
        return str(raised.value)

    def test_dollar_in_a_password_names_the_option_never_the_value(
            self, tmp_path):
        message = self.error(tmp_path, 'username = u\n'
                                       'password = Sup3r$ecretPW\n')
        assert message == (
            '[cloud:alpha] password: "$" starts a '
            'substitution of another option (write "$$" for a "$")')

    def test_dollar_elsewhere_says_what_it_refers_to(self, tmp_path):
        message = self.error(tmp_path, 'username = u$ser\npassword = p\n')
        assert message.startswith(
            '[cloud:alpha] username: "$" starts a substitution')
        assert 'ser' in message
