# SPDX-License-Identifier: Apache-2.0
"""multios-manage: the operator's maintenance commands.

``multios-manage --config-file F db sync`` creates or upgrades the schema
of ``[database] connection``; ``db version`` shows where it stands. Run
``db sync`` after installing a new MultiOS, before starting its services.
``credential setup`` creates the key repository that encrypts the secrets
of clouds registered through the API, ``credential rotate`` adds a key.
"""

import sys

from oslo_config import cfg
from oslo_log import log as logging

from multios import conf as multios_conf
from multios import credentials
from multios.db import api as db_api
from multios import exception


def do_db_sync(conf):
    db = db_api.Database(conf)
    current, head = db.revision()
    if current == head:
        print('The database schema is up to date (revision %s).' % head)
        return
    db.sync()
    print('The database schema was upgraded from %s to revision %s.'
          % (current or 'empty', head))


def do_db_version(conf):
    current, head = db_api.Database(conf).revision()
    print('%s (newest: %s)' % (current or 'empty', head))


def do_credential_setup(conf):
    keys = credentials.KeyRepository(conf.credential.key_repository)
    if keys.setup():
        print('Created the credential keys in %s: copy them to every host '
              'of this MultiOS.' % keys.path)
    else:
        print('The credential keys in %s are already set up.' % keys.path)


def do_credential_rotate(conf):
    keys = credentials.KeyRepository(conf.credential.key_repository)
    print('Key %d of %s is the primary key now: copy it to every host.'
          % (keys.rotate(), keys.path))


def add_command_parsers(subparsers):
    database = subparsers.add_parser('db', help='The MultiOS database.')
    actions = database.add_subparsers(dest='action', required=True)
    actions.add_parser('sync', help='Create or upgrade the schema.'
                       ).set_defaults(func=do_db_sync)
    actions.add_parser('version', help='Show the schema revision.'
                       ).set_defaults(func=do_db_version)
    credential = subparsers.add_parser(
        'credential', help='The keys encrypting registered clouds\' secrets.')
    actions = credential.add_subparsers(dest='action', required=True)
    actions.add_parser('setup', help='Create the key repository.'
                       ).set_defaults(func=do_credential_setup)
    actions.add_parser('rotate', help='Add a new primary key.'
                       ).set_defaults(func=do_credential_rotate)


command_opt = cfg.SubCommandOpt('category', title='Commands',
                                handler=add_command_parsers)


def main(argv=None, conf=multios_conf.CONF):
    conf.register_cli_opt(command_opt)
    logging.register_options(conf)
    # stdout carries the command's output only; logs go to stderr.
    conf.set_default('use_stderr', True)
    try:
        multios_conf.load(argv, conf=conf)
        conf.category.func(conf)
    except exception.MultiOSError as error:
        sys.stderr.write('multios-manage: error: %s\n' % error)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
