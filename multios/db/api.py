# SPDX-License-Identifier: Apache-2.0
"""The database of one MultiOS process: engine, transactions, schema.

One ``Database`` per process and configuration, built from ``[database]``
with oslo.db's enginefacade. Every transaction is a writer: MultiOS's
transactions are few and short, and most of them decide something.

On sqlite every transaction starts with ``BEGIN IMMEDIATE``: it takes the
database's write lock at once, which is what serialises placement decisions
across processes there (``SELECT ... FOR UPDATE`` does it on MariaDB and
PostgreSQL). sqlite's schema is created and upgraded on first use; another
database's is checked, and an old one is an error naming
``multios-manage db sync``.
"""

import contextlib
import fcntl
import os
import threading
import types

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_db import options as oslo_db_options
from oslo_db.sqlalchemy import enginefacade
from oslo_log import log as logging
import sqlalchemy as sa

from multios.db import migration
from multios import exception

LOG = logging.getLogger(__name__)

#: Milliseconds an sqlite transaction waits for another's write lock.
SQLITE_BUSY_TIMEOUT_MS = 30000
#: The database server is down, or its database (or sqlite's file) gone.
UNAVAILABLE = (db_exc.DBConnectionError, db_exc.DBNonExistentDatabase)
#: A transaction that lost a lock race runs again up to this many times.
#: oslo.db waits up to 0.05 s before the first, up to twice as long before
#: each next (a random part of it, so that the racers part).
DEADLOCK_RETRIES = 5
DEADLOCK_RETRY_INTERVAL = 0.05


def _sqlite_setup(engine):
    """BEGIN IMMEDIATE, WAL and a busy timeout on sqlite.

    oslo.db disables pysqlite's own BEGIN and emits a plain (deferred) one
    in a "begin" listener; ours replaces it, to take the write lock first.
    """
    if engine.dialect.name != 'sqlite':
        return

    @sa.event.listens_for(engine, 'connect')
    def _connect(dbapi_connection, connection_record):
        dbapi_connection.execute(
            'PRAGMA busy_timeout = %d' % SQLITE_BUSY_TIMEOUT_MS)
        dbapi_connection.execute('PRAGMA journal_mode = WAL')

    for listener in list(engine.dispatch.begin):
        if listener.__name__ == '_sqlite_emit_begin':
            sa.event.remove(engine, 'begin', listener)

    @sa.event.listens_for(engine, 'begin')
    def _begin(connection):
        if 'in_transaction' not in connection.info:
            connection.exec_driver_sql('BEGIN IMMEDIATE')
            connection.info['in_transaction'] = True


def _facade_settings(conf):
    """Every [database] option, for the enginefacade, from ``conf``.

    All of them, so that a host process's own global [database] (nova-api's,
    when MultiOS runs as its filter) never fills in for ours.
    """
    return {opt.dest: conf.database[opt.dest]
            for opt in oslo_db_options.database_opts}


class Database:
    """Transactions on the ``[database] connection`` of ``conf``."""

    def __init__(self, conf):
        self.conf = conf
        self.connection = conf.database.connection
        self._facade = enginefacade.transaction_context()
        # thread_checkin off: its sleep(0) at each connection checkout
        # yields to eventlet, which MultiOS (native threads) does not run;
        # on a busy host it cost a time slice per transaction.
        self._facade.configure(on_engine_create=[_sqlite_setup],
                               sqlite_fk=True, thread_checkin=False,
                               **_facade_settings(conf))
        self._schema_lock = threading.Lock()
        self._schema_ready = False

    @property
    def is_sqlite(self):
        return self.connection.startswith('sqlite')

    @property
    def engine(self):
        return self._facade.writer.get_engine()

    def _prepare_sqlite_file(self):
        path = sa.engine.make_url(self.connection).database
        if path and path != ':memory:':
            os.makedirs(os.path.dirname(os.path.abspath(path)) or '.',
                        mode=0o750, exist_ok=True)
            return path
        return None

    def ensure_schema(self):
        """Check (or on sqlite create and upgrade) the schema, once.

        Raises SchemaOutdated or DatabaseUnavailable.
        """
        if self._schema_ready:
            return
        with self._schema_lock:
            if self._schema_ready:
                return
            if self.is_sqlite:
                self._upgrade_sqlite()
            else:
                current = self._current_revision()
                if current != migration.head_revision():
                    raise exception.SchemaOutdated(
                        current=current or 'empty',
                        head=migration.head_revision())
            self._schema_ready = True

    def _current_revision(self):
        try:
            with self.engine.connect() as connection:
                return migration.current_revision(connection)
        except db_exc.DBError as error:
            raise exception.DatabaseUnavailable(reason=describe(error))

    def _upgrade_sqlite(self):
        """Bring an sqlite file to the newest schema, one process at a time."""
        path = self._prepare_sqlite_file()
        lock_path = (path + '.lock') if path else None
        with _file_lock(lock_path):
            if self._current_revision() != migration.head_revision():
                LOG.info('Upgrading the database schema of %s', path)
                self.sync()

    def sync(self):
        """Create or upgrade the schema to the newest revision."""
        if self.is_sqlite:
            self._prepare_sqlite_file()
        try:
            with self.engine.begin() as connection:
                migration.upgrade(connection)
        except db_exc.DBError as error:
            raise exception.DatabaseUnavailable(reason=describe(error))

    def revision(self):
        """(current, newest) schema revisions."""
        return self._current_revision(), migration.head_revision()

    @contextlib.contextmanager
    def transaction(self):
        """One committed transaction: ``with db.transaction() as session``.

        Raises DatabaseUnavailable when the database cannot be reached.
        """
        self.ensure_schema()
        try:
            with self._facade.writer.using(types.SimpleNamespace()) as session:
                yield session
        except UNAVAILABLE as error:
            raise exception.DatabaseUnavailable(reason=describe(error))

    @oslo_db_api.wrap_db_retry(max_retries=DEADLOCK_RETRIES,
                               retry_interval=DEADLOCK_RETRY_INTERVAL,
                               retry_on_deadlock=True)
    def run(self, func, *args, **kwargs):
        """``func(session, ...)`` in a transaction, retried on deadlocks.

        MariaDB and Galera answer a lost lock race with a deadlock error:
        running the whole transaction again is the cure.
        """
        with self.transaction() as session:
            return func(session, *args, **kwargs)

    def dispose(self):
        self._facade.dispose_pool()


def describe(error):
    """One line of a database error, without the SQL or its parameters."""
    inner = getattr(error, 'inner_exception', None) or error
    orig = getattr(inner, 'orig', None) or inner
    text = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
    return text[:300]


@contextlib.contextmanager
def _file_lock(path):
    if path is None:
        yield
        return
    with open(path, 'a') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
