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

"""Horizon's settings, pointed at one home Keystone, with the panels on.

Set up by ``multios_dashboard.demo.configure`` through the environment.
No cloud account is here: the panels call the MultiOS API as the user.
"""

import os

from horizon.utils import secret_key
from openstack_dashboard.settings import *  # noqa: F403,H303

from multios_dashboard import demo
from multios_dashboard.utils import settings as plugin_settings

_STATE_DIR = os.environ[demo.ENV_STATE_DIR]

DEBUG = False
ALLOWED_HOSTS = ['127.0.0.1', 'localhost', '[::1]']
SECRET_KEY = secret_key.generate_or_read_from_file(
    os.path.join(_STATE_DIR, '.secret_key_store'))

OPENSTACK_KEYSTONE_URL = os.environ[demo.ENV_KEYSTONE_URL]
MULTIOS_API_URL = os.environ.get(demo.ENV_API_URL)

# One process: sessions live in its memory, no memcached needed. The
# compressor caches the mtime of every static file there too: room enough
# that culling never evicts a session.
CACHES = {'default': {
    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    'OPTIONS': {'MAX_ENTRIES': 100000}}}

# Compressed CSS/JS are built on first use into the state directory.
STATIC_ROOT = os.path.join(_STATE_DIR, 'static')
COMPRESS_ROOT = STATIC_ROOT
COMPRESS_OFFLINE = False

# The testbed's clouds have Keystone and Nova only (no Neutron, Cinder,
# Glance or Placement in the catalog): the panels whose pages need one of
# them are off. The project's Overview (quotas of networks and volumes) was
# its dashboard's default panel (served at /project/ itself): API Access,
# which needs nothing more, is now; users land on the federated Instances.
OPENSTACK_INSTANCE_RETRIEVE_IP_ADDRESSES = False
MISSING_SERVICE_PANELS = (
    ('project', 'overview'),     # network and volume quotas
    ('admin', 'hypervisors'),    # the Placement service's resources
    ('admin', 'rbac_policies'),  # asks Neutron on every page
)
HORIZON_CONFIG['panel_customization'] = list(  # noqa: F405
    HORIZON_CONFIG.get('panel_customization', [])) + [  # noqa: F405
    {'PANEL_DASHBOARD': dashboard, 'PANEL': panel, 'REMOVE_PANEL': True}
    for dashboard, panel in MISSING_SERVICE_PANELS] + [
    {'PANEL_DASHBOARD': 'project', 'PANEL': 'api_access',
     'DEFAULT_PANEL': 'api_access'}]
MIDDLEWARE = list(MIDDLEWARE) + [  # noqa: F405
    'multios_dashboard.demo.middleware.FederatedInstancesHint']

HORIZON_CONFIG['user_home'] = '/project/multios_instances/'  # noqa: F405
plugin_settings.add_plugin(HORIZON_CONFIG, INSTALLED_APPS)  # noqa: F405
plugin_settings.add_policy(POLICY_FILES, DEFAULT_POLICY_FILES,  # noqa: F405
                           POLICY_DIRS)  # noqa: F405
