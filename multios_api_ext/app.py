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

"""Paste factories of the MultiOS API.

``app_factory`` serves the resources standalone (mounted at /v1 by
etc/multios/api-paste.ini). ``filter_factory`` serves them from inside
another API's pipeline, nova-api's typically, and passes every other
request through.

Both read the MultiOS configuration from the global oslo.config object,
which multios-api or wsgi.py has loaded, unless the paste section names a
``config_file``: inside nova-api, whose global configuration is Nova's,
that is how the filter finds its clouds.
"""

import os
import sys

from oslo_config import cfg
from oslo_log import log as logging
from paste import deploy

from multios import conf as core_conf
from multios import exception

from multios_api_ext import backend
from multios_api_ext import conf as api_conf
from multios_api_ext.controllers import versions
from multios_api_ext import router

LOG = logging.getLogger(__name__)


def _conf(local_conf):
    config_file = local_conf.get('config_file')
    if not config_file:
        api_conf.register_opts(core_conf.CONF)
        return core_conf.CONF
    # Not core_conf.load(): that would set up logging, which belongs to the
    # host process (nova-api).
    conf = cfg.ConfigOpts()
    core_conf.register_opts(conf)
    api_conf.register_opts(conf)
    try:
        conf(args=[], project='multios', default_config_files=[config_file])
    except cfg.Error as error:
        raise exception.ConfigError(reason=str(error))
    core_conf.validate(conf)
    return conf


def app_factory(global_conf, **local_conf):
    """The standalone API: every resource and GET / of this version."""
    api_backend = backend.Backend(lambda: _conf(local_conf))
    api_backend.start()
    return router.Router(router.build_mapper(api_backend, with_version=True))


def versions_factory(global_conf, **local_conf):
    """GET /: version discovery, served without authentication."""
    return versions.versions


def filter_factory(global_conf, **local_conf):
    """The MultiOS resources inside another pipeline, under ``prefix``."""
    api_backend = backend.Backend(lambda: _conf(local_conf))
    api_backend.start()
    mapper = router.build_mapper(api_backend,
                                 prefix=local_conf.get('prefix', ''))

    def multios_filter(application):
        return router.Router(mapper, fallback=application)
    return multios_filter


def load_app(conf, paste_config=None, name='multios'):
    """Load the API of a paste file (default: [api] api_paste_config).

    A relative name is looked up next to the configuration files, then
    where pip installs the package's data files (PREFIX/etc/multios).
    """
    path = paste_config or conf.api.api_paste_config
    found = path if os.path.isabs(path) else (
        conf.find_file(path) or
        os.path.join(sys.prefix, 'etc', 'multios', path))
    if not found or not os.path.isfile(found):
        raise exception.ConfigError(reason='paste configuration %s not found'
                                    % path)
    LOG.info('Loading %(name)s from %(path)s', {'name': name, 'path': found})
    try:
        return deploy.loadapp('config:%s' % found, name=name)
    except LookupError as error:
        raise exception.ConfigError(reason='%s: %s' % (found, error))
