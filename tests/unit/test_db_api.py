# SPDX-License-Identifier: Apache-2.0
"""multios/db/api.py: transactions, their retries, in-memory sqlite, errors."""

import datetime
import os
import sqlite3
import tempfile
import unittest
from unittest import mock

from oslo_db import exception as db_exc
import sqlalchemy as sa

from multios.db import api as db_api
from multios.db import models
from multios.db import services as services_db
from multios import exception
from tests.unit import db_helpers


class DeadlockRetryTest(unittest.TestCase):

    def setUp(self):
        self.db = db_helpers.make_database(
            self, db_helpers.make_conf(self))
        sleep = mock.patch('oslo_db.api.time.sleep')
        self.sleeps = sleep.start()
        self.addCleanup(sleep.stop)

    def losing(self, times):
        """A transaction that deadlocks ``times`` times, then answers."""
        calls = []

        def transaction(session, value):
            calls.append(session)
            if len(calls) <= times:
                raise db_exc.DBDeadlock()
            return value
        return transaction, calls

    def test_a_deadlocked_transaction_runs_again_until_it_answers(self):
        transaction, calls = self.losing(2)
        self.assertEqual('done', self.db.run(transaction, 'done'))
        self.assertEqual(3, len(calls))
        self.assertEqual(2, self.sleeps.call_count)
        # Each run is a transaction of its own, in a new session.
        self.assertEqual(3, len(set(map(id, calls))))

    def test_the_waits_grow_and_stay_short(self):
        transaction, _ = self.losing(db_api.DEADLOCK_RETRIES)
        self.db.run(transaction, 'done')
        waits = [call.args[0] for call in self.sleeps.call_args_list]
        self.assertEqual(db_api.DEADLOCK_RETRIES, len(waits))
        self.assertTrue(all(0 <= wait <= 0.05 * 2 ** number
                            for number, wait in enumerate(waits)), waits)

    def test_the_deadlock_is_raised_once_the_retries_are_spent(self):
        transaction, calls = self.losing(db_api.DEADLOCK_RETRIES + 1)
        self.assertRaises(db_exc.DBDeadlock, self.db.run, transaction, 'x')
        self.assertEqual(db_api.DEADLOCK_RETRIES + 1, len(calls))

    def test_other_errors_are_not_retried(self):
        calls = []

        def transaction(session):
            calls.append(session)
            raise ValueError('not a lock race')
        self.assertRaises(ValueError, self.db.run, transaction)
        self.assertEqual(1, len(calls))
        self.sleeps.assert_not_called()


class InMemoryDatabaseTest(unittest.TestCase):
    """``sqlite://`` and ``sqlite:///:memory:`` need no file, make none."""

    def test_an_in_memory_database_runs_and_leaves_no_file(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        cwd = os.getcwd()
        self.addCleanup(os.chdir, cwd)
        os.chdir(directory.name)
        for url in ('sqlite://', 'sqlite:///:memory:'):
            conf = db_helpers.make_conf(self, database={'connection': url})
            db = db_helpers.make_database(self, conf)
            self.assertEqual([], db.run(services_db.alive, ['api'], 60))
        self.assertEqual([], os.listdir(directory.name))


class SchemaTest(unittest.TestCase):
    """sqlite's schema is made on first use, and only then."""

    def test_an_up_to_date_file_is_not_upgraded_again(self):
        conf = db_helpers.make_conf(self)
        db_helpers.make_database(self, conf).run(services_db.alive, [], 1)
        with mock.patch.object(db_api.migration, 'upgrade') as upgrade:
            db_helpers.make_database(self, conf).run(services_db.alive,
                                                     [], 1)
        upgrade.assert_not_called()

    def sqlite_at(self, *parts):
        """(a Database on the file ``parts`` of a new directory, its path);
        no parts: the directory itself, which sqlite cannot open.
        """
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = os.path.join(directory.name, *parts)
        conf = db_helpers.make_conf(self, database={
            'connection': 'sqlite:///%s' % path})
        return db_helpers.make_database(self, conf), path

    def test_a_file_that_cannot_be_opened_is_an_unavailable_database(self):
        for use in (lambda db: db.run(services_db.alive, [], 1),
                    lambda db: db.sync()):
            db, _ = self.sqlite_at()
            with self.assertRaises(exception.DatabaseUnavailable) as caught:
                use(db)
            self.assertIn('unable to open database file',
                          str(caught.exception))

    def test_sqlite_s_directory_is_made_for_the_service_only(self):
        db, path = self.sqlite_at('lib', 'multios', 'state.sqlite')
        umask = os.umask(0o022)
        self.addCleanup(os.umask, umask)
        db.run(services_db.alive, [], 1)
        self.assertEqual(0o750,
                         os.stat(os.path.dirname(path)).st_mode & 0o777)

    def test_db_sync_makes_sqlite_s_directory(self):
        db, path = self.sqlite_at('new', 'state.sqlite')
        db.sync()
        self.assertTrue(os.path.isfile(path))

    def test_a_database_gone_after_first_use_is_unavailable(self):
        conf = db_helpers.make_conf(self)
        db = db_helpers.make_database(self, conf)
        db.run(services_db.alive, [], 1)
        path = sa.engine.make_url(db.connection).database
        os.remove(path)
        os.mkdir(path)
        with self.assertRaises(exception.DatabaseUnavailable) as caught:
            db.run(services_db.alive, [], 1)
        self.assertIn('unable to open database file', str(caught.exception))


class SqliteConnectionTest(unittest.TestCase):
    """What every sqlite connection is set up with."""

    def setUp(self):
        super().setUp()
        self.db = db_helpers.make_database(
            self, db_helpers.make_conf(self))

    def pragma(self, name):
        return self.db.run(lambda session: session.execute(
            sa.text('PRAGMA %s' % name)).scalar())

    def test_wal_and_a_busy_timeout_let_processes_share_the_file(self):
        self.assertEqual(('wal', db_api.SQLITE_BUSY_TIMEOUT_MS),
                         (self.pragma('journal_mode'),
                          self.pragma('busy_timeout')))

    def test_a_transaction_takes_the_write_lock_at_its_start(self):
        # What serialises placement decisions across processes on sqlite.
        path = sa.engine.make_url(self.db.connection).database
        with self.db.transaction() as session:
            session.execute(sa.text('SELECT 1'))  # a read, nothing written
            other = sqlite3.connect(path, timeout=0)
            self.addCleanup(other.close)
            self.assertRaisesRegex(sqlite3.OperationalError, 'locked',
                                   other.execute, 'BEGIN IMMEDIATE')

    def test_a_relative_path_is_made_under_the_working_directory(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.addCleanup(os.chdir, os.getcwd())
        os.chdir(directory.name)
        conf = db_helpers.make_conf(self, database={
            'connection': 'sqlite:///state/multios.sqlite'})
        db_helpers.make_database(self, conf).run(services_db.alive, [], 1)
        self.assertTrue(os.path.isfile(os.path.join(
            directory.name, 'state', 'multios.sqlite')))

    def test_foreign_keys_are_enforced(self):
        def orphan_instance(session):
            session.add(models.LaunchInstance(
                launch_id='req-none', position=0, name='vm',
                state='pending', updated_at=datetime.datetime(2026, 1, 1)))
        self.assertRaises(db_exc.DBReferenceError, self.db.run,
                          orphan_instance)


class DescribeTest(unittest.TestCase):
    """An error's one line: what a 503 and the CLI show of it."""

    def wrapped(self, message):
        try:
            raise sqlite3.OperationalError(message)
        except sqlite3.OperationalError as error:
            return db_exc.DBConnectionError(error)

    def test_the_first_line_of_the_driver_s_error(self):
        self.assertEqual('unable to open database file', db_api.describe(
            self.wrapped('unable to open database file\n[SQL: SELECT 1]')))

    def test_the_driver_s_error_under_sqlalchemy_s(self):
        error = db_exc.DBError(sa.exc.OperationalError(
            'SELECT 1', {}, sqlite3.OperationalError('disk I/O error')))
        self.assertEqual('disk I/O error', db_api.describe(error))

    def test_a_long_message_is_cut_at_300_characters(self):
        self.assertEqual('x' * 300,
                         db_api.describe(self.wrapped('x' * 400)))

    def test_an_error_without_a_message_is_named_by_its_type(self):
        self.assertEqual('OperationalError',
                         db_api.describe(self.wrapped('')))
