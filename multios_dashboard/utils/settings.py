# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Switch the plugin on in a Horizon settings module.

Deployments copy ``enabled/_60*_multios_*.py`` into
``openstack_dashboard/local/enabled`` and call ``add_policy`` from a
``local_settings.d`` snippet; the demo site and the unit tests apply both
from the source tree instead, on top of Horizon's settings.
"""

import os
import sys
import types

from openstack_dashboard.utils import settings as settings_utils

from multios_dashboard import policy

ENABLED_DIR = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
        __file__)))), 'enabled')
ENABLED_PACKAGE = 'multios_enabled'


def _enabled_package():
    """The enabled/ directory as the package Horizon expects to scan."""
    package = sys.modules.get(ENABLED_PACKAGE)
    if package is None:
        package = types.ModuleType(ENABLED_PACKAGE)
        package.__path__ = [ENABLED_DIR]
        sys.modules[ENABLED_PACKAGE] = package
    return package


def add_plugin(horizon_config, installed_apps):
    """Add the plugin's panels to already computed Horizon settings."""
    plugin_config = {}
    apps = []
    settings_utils.update_dashboards([_enabled_package()], plugin_config,
                                     apps)
    horizon_config['panel_customization'] = (
        list(horizon_config.get('panel_customization', [])) +
        plugin_config['panel_customization'])
    horizon_config.setdefault('plugins', []).extend(
        app for app in plugin_config['plugins']
        if app not in horizon_config['plugins'])
    installed_apps[0:0] = [app for app in dict.fromkeys(apps)
                           if app not in installed_apps]


def add_policy(policy_files, default_policy_files, policy_dirs):
    """Register the API's policy with Horizon's, in place.

    The plugin's copy of the API's defaults decides unless the operator's
    ``multios_policy.yaml`` (or ``multios_policy.d``) in POLICY_FILES_PATH
    overrides a rule, as for Horizon's other services.
    """
    default_policy_files[policy.SERVICE] = policy.DEFAULT_POLICY_FILE
    policy_files[policy.SERVICE] = policy.POLICY_FILE
    policy_dirs[policy.SERVICE] = [policy.POLICY_DIR]
