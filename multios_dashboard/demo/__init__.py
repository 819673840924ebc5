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

"""A small Horizon site with the MultiOS panels, for the demo and e2e tests.

``python -m multios_dashboard.demo --config-file F`` serves Horizon on
http://127.0.0.1:8080, logging in through the Keystone of the first cloud of
``F`` (or ``--keystone-url``); the panels use the federation of ``F``.
"""

import argparse
import configparser
import os
import sys

# Settings read from the environment by multios_dashboard.demo.settings.
ENV_CONFIG_FILE = 'MULTIOS_CONFIG_FILE'
ENV_CONFIG_DIR = 'MULTIOS_CONFIG_DIR'
ENV_KEYSTONE_URL = 'MULTIOS_DASHBOARD_KEYSTONE_URL'
ENV_STATE_DIR = 'MULTIOS_DASHBOARD_STATE_DIR'


def first_cloud_auth_url(config_file):
    """The Keystone of the first listed cloud: the users' home identity."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(config_file)
    clouds = [name.strip() for name in
              parser.get('DEFAULT', 'clouds', fallback='').split(',')
              if name.strip()]
    if not clouds:
        return None
    return parser.get('cloud:%s' % clouds[0], 'auth_url', fallback=None)


def configure(config_file, keystone_url=None, config_dir=None,
              state_dir=None):
    """Point the demo settings at a federation; call before django.setup."""
    config_file = os.path.abspath(config_file)
    keystone_url = keystone_url or first_cloud_auth_url(config_file)
    if not keystone_url:
        raise ValueError('%s lists no cloud with an auth_url: give '
                         '--keystone-url' % config_file)
    state_dir = os.path.abspath(
        state_dir or os.path.join(os.path.dirname(config_file), 'horizon'))
    os.makedirs(state_dir, mode=0o700, exist_ok=True)
    os.environ[ENV_CONFIG_FILE] = config_file
    os.environ[ENV_KEYSTONE_URL] = keystone_url
    os.environ[ENV_STATE_DIR] = state_dir
    if config_dir:
        os.environ[ENV_CONFIG_DIR] = os.path.abspath(config_dir)
    os.environ['DJANGO_SETTINGS_MODULE'] = 'multios_dashboard.demo.settings'


def serve(host='127.0.0.1', port=8080):
    """Run Django's threaded server, static files included, until killed."""
    import django
    from django.core import management

    django.setup()
    management.call_command('runserver', '%s:%d' % (host, port),
                            use_reloader=False, use_threading=True,
                            insecure_serving=True)


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m multios_dashboard.demo',
                                     description=__doc__.splitlines()[0])
    parser.add_argument('--config-file', required=True,
                        help='multios.conf of the federation to show')
    parser.add_argument('--config-dir',
                        help='directory of clouds registered from the '
                             'dashboard (default: clouds.d beside the '
                             'config file)')
    parser.add_argument('--keystone-url',
                        help='Keystone v3 URL users log in with (default: '
                             "the first cloud's auth_url)")
    parser.add_argument('--state-dir',
                        help="Horizon's secret key and compressed static "
                             'files (default: horizon/ beside the config '
                             'file)')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8080)
    args = parser.parse_args(argv)
    try:
        configure(args.config_file, args.keystone_url, args.config_dir,
                  args.state_dir)
    except ValueError as error:
        parser.error(str(error))
    serve(args.host, args.port)
    return 0


if __name__ == '__main__':
    sys.exit(main())
