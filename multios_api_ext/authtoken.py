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

"""Check at start what keystonemiddleware's auth_token reads per request.

auth_token reads its service account from ``[keystone_authtoken]`` only
when a request comes: without the group every request is a 500
(MissingAuthPlugin), and a ``$`` in its password a 500 with the rest of the
password in the log. ``check`` reads the account as keystoneauth will, once,
before the API serves anything.
"""

import configparser

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from keystonemiddleware import auth_token
from oslo_config import cfg
from oslo_log import log as logging

from multios.conf import files
from multios import exception

LOG = logging.getLogger(__name__)

GROUP = 'keystone_authtoken'
FACTORIES = ('keystonemiddleware.auth_token:filter_factory',
             'egg:keystonemiddleware#auth_token')
#: Filter options that make auth_token read its options elsewhere.
OWN_OPTIONS = ('auth_type', 'oslo_config_config', 'oslo_config_project',
               'oslo_config_file')


def uses_group(paste_file):
    """Does a pipeline of ``paste_file`` run auth_token on
    [keystone_authtoken]?

    Only a filter that names no options source of its own does.
    """
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(paste_file, encoding='utf-8')
    filters = set()
    for section in parser.sections():
        kind, _sep, name = section.partition(':')
        options = parser[section]
        factory = options.get('paste.filter_factory') or options.get('use')
        if (kind == 'filter' and (factory or '').strip() in FACTORIES and
                not any(key in options for key in OWN_OPTIONS)):
            filters.add(name.strip())
    return any(name in filters
               for section in parser.sections()
               if section.startswith('pipeline:')
               for name in parser[section].get('pipeline', '').split())


def check(conf, paste_file):
    """Raise ConfigError unless auth_token can load its service account."""
    if not uses_group(paste_file):
        return
    where = ', '.join(conf.config_file or []) or 'the configuration files'
    if GROUP not in conf.list_all_sections():
        raise exception.ConfigError(
            '[%s] is missing from %s: the pipeline of %s validates tokens '
            'with keystonemiddleware auth_token, which needs it'
            % (GROUP, where, paste_file))
    known = [opt for _group, opts in auth_token.list_opts() for opt in opts]
    conf.register_opts(known, group=GROUP)
    section = conf[GROUP].auth_section or GROUP
    ks_loading.register_auth_conf_options(conf, section)
    auth_type = conf[section].auth_type
    if not auth_type:
        raise exception.ConfigError(
            '[%s] auth_type is not set in %s: auth_token could not '
            'authenticate its service account' % (section, where))
    try:
        opts = ks_loading.get_auth_plugin_conf_options(auth_type)
    except ks_exc.NoMatchingPlugin:
        raise exception.ConfigError(
            '[%s] auth_type: no authentication plugin %s'
            % (section, auth_type))
    conf.register_opts(opts, group=section)
    known += opts
    for opt in opts:
        try:
            conf[section][opt.dest]
        except (ValueError, cfg.Error) as e:
            raise exception.ConfigError(files.value_error(section, opt, e))
    options = files.sections(conf.config_file or []).get(section, [])
    for message, _match in files.unknown_options(conf, section, options,
                                                 known):
        LOG.warning('%s', message)
