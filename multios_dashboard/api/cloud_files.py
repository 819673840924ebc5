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

"""Cloud accounts registered from the dashboard, one file each.

Each registered cloud is ``<MULTIOS_CONFIG_DIR>/<name>.conf`` holding one
``[cloud:NAME]`` group. The file is readable only by the service user
because it holds the account's password; the federation re-reads the
directory when it changes, so no restart is needed. Values are written as
oslo.config reads them back (``files.ini_value``: a ``$`` in a password
is a ``$``, not the start of a substitution).
"""

import configparser
import os
import re
import tempfile

from django.conf import settings
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session

from multios.conf import files

DEFAULT_CONFIG_FILE = '/etc/multios/multios.conf'
NAME_PATTERN = r'^[a-z0-9][a-z0-9_-]{0,62}$'
AUTH_TIMEOUT = 15


class AuthenticationFailed(Exception):
    """The account did not authenticate; the message is safe to show."""


def config_file():
    return getattr(settings, 'MULTIOS_CONFIG_FILE', DEFAULT_CONFIG_FILE)


def config_dir():
    configured = getattr(settings, 'MULTIOS_CONFIG_DIR', None)
    if configured:
        return configured
    return os.path.join(os.path.dirname(config_file()), 'clouds.d')


def valid_name(name):
    return re.match(NAME_PATTERN, name) is not None


def path(name):
    if not valid_name(name):
        raise ValueError('invalid cloud name')
    return os.path.join(config_dir(), '%s.conf' % name)


def exists(name):
    return os.path.exists(path(name))


def authenticate(account):
    """Get a token with the account, so a typo is caught before saving."""
    auth = v3.Password(
        auth_url=account['auth_url'],
        username=account['username'],
        password=account['password'],
        project_name=account['project_name'],
        user_domain_name=account['user_domain_name'],
        project_domain_name=account['project_domain_name'])
    session = ks_session.Session(auth=auth, timeout=AUTH_TIMEOUT)
    try:
        session.get_token()
    except ks_exceptions.Unauthorized:
        raise AuthenticationFailed('the user name, password, project or '
                                   'domain was refused')
    except ks_exceptions.ClientException as exc:
        raise AuthenticationFailed(type(exc).__name__)


def _read(name):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path(name), encoding='utf-8')
    return parser


def _write(name, parser):
    """Replace the file atomically so the federation never reads half."""
    directory = config_dir()
    os.makedirs(directory, mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix='.%s.' % name)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            parser.write(f)
        os.replace(tmp, path(name))
    except Exception:
        os.unlink(tmp)
        raise


def register(name, account):
    """Write a new cloud's file; ``account`` holds the [cloud:NAME] opts."""
    parser = configparser.ConfigParser(interpolation=None)
    group = 'cloud:%s' % name
    parser[group] = {key: files.ini_value(value)
                     for key, value in account.items()
                     if value not in (None, '')}
    _write(name, parser)


def set_options(name, **options):
    """Override options of a cloud (e.g. ``enabled``) in its file."""
    parser = _read(name)
    group = 'cloud:%s' % name
    if not parser.has_section(group):
        parser.add_section(group)
    for key, value in options.items():
        parser[group][key] = files.ini_value(value)
    _write(name, parser)


def remove(name):
    os.unlink(path(name))
