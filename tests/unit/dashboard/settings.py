"""Horizon's own unit-test settings with the MultiOS panels enabled."""

import tempfile

from openstack_dashboard.test.settings import *  # noqa: F403,H303

from multios_dashboard.utils import settings as plugin_settings

plugin_settings.add_plugin(HORIZON_CONFIG, INSTALLED_APPS)  # noqa: F405

# The tests mock multios_dashboard.api.multios: no federation is built.
MULTIOS_CONFIG_FILE = '/nonexistent/multios.conf'
MULTIOS_CONFIG_DIR = tempfile.mkdtemp(prefix='multios-clouds-')
