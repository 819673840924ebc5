# SPDX-License-Identifier: Apache-2.0
"""MultiOS configuration: options, loading and validation.

``CONF`` is oslo.config's global object. ``register_opts`` registers the
static groups (the [cloud:NAME] groups are dynamic: see cloud_sources) and
``load`` parses the command line and files, sets up oslo.log and validates
everything so that bad configuration fails at start, naming the option.
"""

import difflib
import sys

from oslo_config import cfg
from oslo_log import log as logging

from multios.conf import cloud as cloud_conf
from multios.conf import cloud_sources
from multios.conf import credential
from multios.conf import database
from multios.conf import default
from multios.conf import engine
from multios.conf import files
from multios.conf import fping
from multios.conf import groups
from multios.conf import health
from multios.conf import placement
from multios import exception

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

#: Libraries whose INFO lines say nothing an operator needs.
QUIET_LOGGERS = ['alembic.runtime.migration=WARN']

STATIC_MODULES = (default, database, placement, health, fping, engine,
                  credential)


def register_opts(conf):
    """Register the static option groups; calling it again does nothing."""
    for module in STATIC_MODULES:
        module.register_opts(conf)


def _read_all(conf, group_name, opts):
    section = conf if group_name == 'DEFAULT' else conf[group_name]
    for opt in opts:
        if opt.dest not in section:
            continue  # not registered on this ConfigOpts
        try:
            section[opt.dest]
        except (ValueError, cfg.Error) as e:
            raise exception.ConfigError(
                files.value_error(group_name, opt, e))


def _check_unknown(conf):
    """What the files set that no option is registered for.

    In a group MultiOS owns (groups.OWNED) it is an error; in the groups
    of libraries ([database]...) a warning. [DEFAULT] is shared by every
    program reading the file (multios-api's ``host`` and ``port``, which
    the CLI does not know) and oslo.log: a warning there only for a name
    close to a known one, a likely misspelling. A group nothing registered
    may belong to a library that registers it later (oslo.policy...): only
    a name close to a MultiOS group is worth a warning. Nor are the groups
    of a keystoneauth plugin (with ``auth_type``): their options are those
    of the plugin, known once keystoneauth loads it. [cloud:NAME] groups
    are checked where they are read (cloud_sources).
    """
    paths = list(conf.config_file or []) + cloud_sources.config_dir_files(
        conf)
    for section, names in files.sections(paths).items():
        if section.startswith(cloud_conf.GROUP_PREFIX):
            continue
        if section != 'DEFAULT':
            section = section.lower()  # as oslo.config reads group names
        if section != 'DEFAULT' and section not in conf:
            # Another MultiOS program's group ([api] read by the CLI) is
            # no misspelling.
            match = difflib.get_close_matches(section, list(groups.OWNED), 1)
            if match and section not in groups.OWNED:
                LOG.warning('[%s] is not a known group (did you mean [%s]?)',
                            section, match[0])
            continue
        if section != 'DEFAULT' and 'auth_type' in conf[section]:
            continue
        for message, match in files.unknown_options(conf, section, names):
            if section == 'DEFAULT' and not match:
                continue
            if section in groups.OWNED:
                raise exception.ConfigError(message)
            LOG.warning('%s', message)


def validate(conf):
    """Read every MultiOS option once; raise ConfigError naming a bad one.

    Also refuses an option a MultiOS group does not know (a misspelling
    would otherwise be silently ignored), then reads the clouds.
    """
    to_read = {getattr(group, 'name', group): opts
               for module in STATIC_MODULES
               for group, opts in module.list_opts().items()}
    for group_name, opts in groups.OWNED.items():
        to_read.setdefault(group_name, opts)  # [api] and any added later
    for group_name, opts in to_read.items():
        if group_name == 'DEFAULT' or group_name in conf:
            _read_all(conf, group_name, opts)
    _check_unknown(conf)
    clouds = cloud_sources.read(conf)
    if conf.home_cloud and conf.home_cloud not in clouds:
        raise exception.ConfigError(
            '[DEFAULT] home_cloud: %s is not a configured cloud'
            % conf.home_cloud)


def load(argv=None, conf=CONF, default_config_files=None):
    """Parse ``argv`` (without the program name) and files, then validate.

    Raises ConfigError for a missing or unreadable file or a bad value.
    """
    register_opts(conf)
    logging.register_options(conf)
    conf.set_default('default_log_levels',
                     logging.get_default_log_levels() + QUIET_LOGGERS)
    files.parse(conf, sys.argv[1:] if argv is None else argv,
                project='multios', default_config_files=default_config_files)
    logging.setup(conf, 'multios')
    validate(conf)
    return conf
