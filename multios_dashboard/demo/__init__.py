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

``python -m multios_dashboard.demo --keystone-url URL`` serves Horizon on
http://127.0.0.1:8080, logging users in through the Keystone at URL (the
federation's home identity). The panels call the MultiOS API of that
Keystone's catalog (or ``--api-url``) with each user's token: this site
holds no cloud account.
"""

import argparse
import os
import sys

# Settings read from the environment by multios_dashboard.demo.settings.
ENV_KEYSTONE_URL = 'MULTIOS_DASHBOARD_KEYSTONE_URL'
ENV_API_URL = 'MULTIOS_DASHBOARD_API_URL'
ENV_STATE_DIR = 'MULTIOS_DASHBOARD_STATE_DIR'


def configure(keystone_url, state_dir, api_url=None):
    """Point the demo settings at a Keystone; call before django.setup."""
    state_dir = os.path.abspath(state_dir)
    os.makedirs(state_dir, mode=0o700, exist_ok=True)
    os.environ[ENV_KEYSTONE_URL] = keystone_url
    os.environ[ENV_STATE_DIR] = state_dir
    if api_url:
        os.environ[ENV_API_URL] = api_url
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
    parser.add_argument('--keystone-url', required=True,
                        help='Keystone v3 URL users log in with: the '
                             "federation's home identity")
    parser.add_argument('--api-url',
                        help="the MultiOS API (default: the multios "
                             "service of the user's catalog)")
    parser.add_argument('--state-dir', required=True,
                        help="Horizon's secret key and compressed static "
                             'files')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8080)
    args = parser.parse_args(argv)
    configure(args.keystone_url, args.state_dir, args.api_url)
    serve(args.host, args.port)
    return 0


if __name__ == '__main__':
    sys.exit(main())
