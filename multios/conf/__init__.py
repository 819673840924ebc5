"""MultiOS configuration: options, loading and validation.

``CONF`` is oslo.config's global object. ``register_opts`` registers the
static groups (the [cloud:NAME] groups are dynamic: see cloud_sources) and
``load`` parses the command line and files, sets up oslo.log and validates
everything so that bad configuration fails at start, naming the option.
"""

import sys

from oslo_config import cfg
from oslo_log import log as logging

from multios.conf import cloud_sources
from multios.conf import database
from multios.conf import default
from multios.conf import engine
from multios.conf import fping
from multios.conf import health
from multios.conf import placement
from multios import exception

CONF = cfg.CONF

#: Libraries whose INFO lines say nothing an operator needs.
QUIET_LOGGERS = ['alembic.runtime.migration=WARN']

STATIC_MODULES = (default, database, placement, health, fping, engine)


def register_opts(conf):
    """Register the static option groups; calling it again does nothing."""
    for module in STATIC_MODULES:
        module.register_opts(conf)


def validate(conf):
    """Read every option once; raise ConfigError naming a bad one."""
    for module in STATIC_MODULES:
        for group, opts in module.list_opts().items():
            group_name = getattr(group, 'name', group)
            section = conf if group_name == 'DEFAULT' else conf[group_name]
            for opt in opts:
                try:
                    section[opt.dest]
                except ValueError as e:
                    raise exception.ConfigError(
                        '[%s] %s: %s' % (group_name, opt.dest,
                                         cloud_sources.reason(e)))
    cloud_sources.read(conf)


def load(argv=None, conf=CONF, default_config_files=None):
    """Parse ``argv`` (without the program name) and files, then validate.

    Raises ConfigError for a missing file or a bad value.
    """
    register_opts(conf)
    logging.register_options(conf)
    conf.set_default('default_log_levels',
                     logging.get_default_log_levels() + QUIET_LOGGERS)
    try:
        conf(sys.argv[1:] if argv is None else argv, project='multios',
             default_config_files=default_config_files)
    except cfg.Error as e:
        raise exception.ConfigError(str(e))
    logging.setup(conf, 'multios')
    validate(conf)
    return conf
