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

"""Horizon's settings, pointed at one federation, with the panels enabled.

Set up by ``multios_dashboard.demo.configure`` through the environment.
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
MULTIOS_CONFIG_FILE = os.environ[demo.ENV_CONFIG_FILE]
MULTIOS_CONFIG_DIR = os.environ.get(demo.ENV_CONFIG_DIR)

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

HORIZON_CONFIG['user_home'] = '/project/multios_instances/'  # noqa: F405
plugin_settings.add_plugin(HORIZON_CONFIG, INSTALLED_APPS)  # noqa: F405
