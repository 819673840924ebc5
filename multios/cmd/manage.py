"""multios-manage: the operator's maintenance commands.

``multios-manage --config-file F db sync`` creates or upgrades the schema
of ``[database] connection``; ``db version`` shows where it stands. Run
``db sync`` after installing a new MultiOS, before starting its services.
"""

import sys

from oslo_config import cfg
from oslo_log import log as logging

from multios import conf as multios_conf
from multios.db import api as db_api
from multios import exception


def do_db_sync(db):
    current, head = db.revision()
    if current == head:
        print('The database schema is up to date (revision %s).' % head)
        return
    db.sync()
    print('The database schema was upgraded from %s to revision %s.'
          % (current or 'empty', head))


def do_db_version(db):
    current, head = db.revision()
    print('%s (newest: %s)' % (current or 'empty', head))


def add_command_parsers(subparsers):
    database = subparsers.add_parser('db', help='The MultiOS database.')
    actions = database.add_subparsers(dest='action', required=True)
    actions.add_parser('sync', help='Create or upgrade the schema.'
                       ).set_defaults(func=do_db_sync)
    actions.add_parser('version', help='Show the schema revision.'
                       ).set_defaults(func=do_db_version)


command_opt = cfg.SubCommandOpt('category', title='Commands',
                                handler=add_command_parsers)


def main(argv=None, conf=multios_conf.CONF):
    conf.register_cli_opt(command_opt)
    logging.register_options(conf)
    # stdout carries the command's output only; logs go to stderr.
    conf.set_default('use_stderr', True)
    try:
        multios_conf.load(argv, conf=conf)
        conf.category.func(db_api.Database(conf))
    except exception.MultiOSError as error:
        sys.stderr.write('multios-manage: error: %s\n' % error)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
