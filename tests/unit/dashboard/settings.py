# SPDX-License-Identifier: Apache-2.0
"""Horizon's own unit-test settings with the MultiOS panels enabled."""

from openstack_dashboard.test.settings import *  # noqa: F403,H303

from multios_dashboard.utils import settings as plugin_settings

plugin_settings.add_plugin(HORIZON_CONFIG, INSTALLED_APPS)  # noqa: F405
# The policy check itself is off (POLICY_CHECK_FUNCTION None) unless a
# test turns it on.
plugin_settings.add_policy(POLICY_FILES, DEFAULT_POLICY_FILES,  # noqa: F405
                           POLICY_DIRS)  # noqa: F405
# The tests mock multios_dashboard.api.multios: no API is called.
MULTIOS_API_URL = 'http://multios.test/v1'
