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

"""WSGI entry point for mod_wsgi or uwsgi: ``application``.

The configuration file comes from MULTIOS_CONFIG_FILE (default
/etc/multios/multios.conf); the paste file from its [api] api_paste_config.
"""

import os

from multios import conf as core_conf

from multios_api_ext import app
from multios_api_ext import conf as api_conf

CONFIG_FILE_ENV = 'MULTIOS_CONFIG_FILE'
DEFAULT_CONFIG_FILE = '/etc/multios/multios.conf'


def init_application():
    """Load the configuration and the paste application once per process."""
    conf = core_conf.CONF
    api_conf.register_opts(conf)
    core_conf.load([], conf, default_config_files=[
        os.environ.get(CONFIG_FILE_ENV, DEFAULT_CONFIG_FILE)])
    return app.load_app(conf)


application = init_application()
