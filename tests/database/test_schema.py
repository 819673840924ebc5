# SPDX-License-Identifier: Apache-2.0
"""The schema on every backend: migrations, the models, db sync, checks.

Against a fresh database of each backend the suite runs (sqlite, and the
real MariaDB and PostgreSQL servers of tests/dbservers.py).
"""

import os
import subprocess
import sys
import unittest

from oslo_config import cfg
from oslo_db.sqlalchemy import test_migrations
import pytest
import sqlalchemy as sa

from multios import conf as multios_conf
from multios.db import api as db_api
from multios.db import migration
from multios.db import models
from multios import exception

pytestmark = pytest.mark.database

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


class _ModelsMigrationsSync(test_migrations.ModelsMigrationsSync,
                            unittest.TestCase):
    """oslo.db's check, on the engine of ``url`` (run by the test below)."""

    __test__ = False
    url = None

    def setUp(self):
        super().setUp()
        self.engine = sa.create_engine(self.url)
        self.addCleanup(self.engine.dispose)

    def get_engine(self):
        return self.engine

    def get_metadata(self):
        return models.Base.metadata

    def db_sync(self, engine):
        with engine.begin() as connection:
            migration.upgrade(connection)


def test_models_and_migrations_agree(database_url):
    case = type('Sync', (_ModelsMigrationsSync,), {'url': database_url})(
        'test_models_sync')
    result = unittest.TestResult()
    case.run(result)
    assert result.wasSuccessful(), result.failures + result.errors


def config_file(tmp_path, url):
    """One cloud (that nothing here calls) and the database of ``url``."""
    path = tmp_path / 'multios.conf'
    path.write_text(
        '[DEFAULT]\nstate_path = %s\nclouds = alpha\n'
        '[cloud:alpha]\nauth_url = http://127.0.0.1:1/v3\nusername = u\n'
        'password = p\nproject_name = p\n'
        '[database]\nconnection = %s\n' % (tmp_path, url))
    return str(path)


def manage(config, *args):
    env = dict(os.environ, PYTHONPATH=REPOSITORY)
    done = subprocess.run(
        [sys.executable, '-m', 'multios.cmd.manage', '--config-file',
         config] + list(args), capture_output=True, text=True, env=env,
        timeout=120)
    return done.returncode, done.stdout, done.stderr


def database(config):
    conf = cfg.ConfigOpts()
    multios_conf.load(['--config-file', config], conf=conf)
    return db_api.Database(conf)


def test_db_sync_creates_then_finds_the_schema_up_to_date(
        database_url, tmp_path):
    config = config_file(tmp_path, database_url)
    head = migration.head_revision()
    assert manage(config, 'db', 'version') == (0, 'empty (newest: %s)\n'
                                                  % head, '')
    code, out, err = manage(config, 'db', 'sync')
    assert (code, err) == (0, '')
    assert out == ('The database schema was upgraded from empty to '
                   'revision %s.\n' % head)
    assert manage(config, 'db', 'sync')[1] == (
        'The database schema is up to date (revision %s).\n' % head)
    tables = sa.inspect(sa.create_engine(database_url)).get_table_names()
    assert set(models.Base.metadata.tables) <= set(tables)


def test_sqlite_is_created_and_upgraded_on_first_use(tmp_path):
    path = tmp_path / 'state' / 'multios.sqlite'
    db = database(config_file(tmp_path, 'sqlite:///%s' % path))
    db.ensure_schema()
    assert path.exists()
    assert db.revision() == (migration.head_revision(),) * 2


def test_a_server_database_without_the_schema_names_db_sync(
        server_database_url, tmp_path):
    db = database(config_file(tmp_path, server_database_url))
    with pytest.raises(exception.SchemaOutdated) as outdated:
        db.ensure_schema()
    assert str(outdated.value) == (
        "The MultiOS database schema is at revision empty, this MultiOS "
        "needs %s: run 'multios-manage --config-file FILE db sync'."
        % migration.head_revision())


def test_the_cli_says_so_in_one_line(server_database_url, tmp_path):
    config = config_file(tmp_path, server_database_url)
    env = dict(os.environ, PYTHONPATH=REPOSITORY)
    done = subprocess.run(
        [sys.executable, '-m', 'multios.cmd.cli', '--config-file', config,
         'launches', '--project-id', 'p', '--user-id', 'u'],
        capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr.count('\n') == 1
    assert 'multios-manage --config-file FILE db sync' in done.stderr


def test_an_unreachable_database_is_one_line(tmp_path):
    config = config_file(tmp_path, 'mysql+pymysql://u:secret@127.0.0.1:1/x')
    env = dict(os.environ, PYTHONPATH=REPOSITORY)
    done = subprocess.run(
        [sys.executable, '-m', 'multios.cmd.cli', '--config-file', config,
         'launches', '--project-id', 'p', '--user-id', 'u'],
        capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith(
        'multios: error: The MultiOS database is unavailable: ')
    assert done.stderr.count('\n') == 1
    assert 'secret' not in done.stderr
