# SPDX-License-Identifier: Apache-2.0
"""Alembic migrations of the MultiOS schema, run in-process.

No alembic.ini: the script directory is ``multios/db/migrations`` and the
connection is handed to env.py, so that ``multios-manage db sync``, the
sqlite first-use upgrade and the tests all run the same code.
"""

import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script

MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          'migrations')


def _config(connection=None):
    config = alembic_config.Config()
    config.set_main_option('script_location', MIGRATIONS)
    config.attributes['connection'] = connection
    return config


def head_revision():
    """The newest revision of the migrations."""
    return alembic_script.ScriptDirectory.from_config(
        _config()).get_current_head()


def current_revision(connection):
    """The revision the database is at, or None when it has no schema."""
    return alembic_migration.MigrationContext.configure(
        connection).get_current_revision()


def upgrade(connection, revision='head'):
    command.upgrade(_config(connection), revision)
