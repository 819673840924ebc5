# SPDX-License-Identifier: Apache-2.0
"""Real MariaDB and PostgreSQL servers for the tests, from Debian's packages.

Each server runs in a temporary directory of its own, on a loopback port,
as ``make test`` installs them (mariadb-server, postgresql); neither is
started by the system. PostgreSQL refuses to run as root, so it runs as
the ``postgres`` user its package creates. ``database()`` makes a fresh,
empty database and returns its SQLAlchemy URL.
"""

import glob
import itertools
import os
import shutil
import socket
import subprocess
import time

from tests import processes

START_TIMEOUT = 60
_names = itertools.count(1)


class DatabaseServerError(Exception):
    """A database server could not be started."""


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True,
                            **kwargs)
    if result.returncode:
        raise DatabaseServerError('%s failed: %s' % (
            command[0], (result.stderr or result.stdout)[-2000:]))
    return result.stdout


def _wait(predicate, what, log_path):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    tail = ''
    if os.path.exists(log_path):
        with open(log_path, errors='replace') as log:
            tail = log.read()[-2000:]
    raise DatabaseServerError('%s did not start in %ss: %s'
                              % (what, START_TIMEOUT, tail))


def _port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(('127.0.0.1', port)) == 0


class MariaDB:
    """``mariadbd`` as root in ``directory``; user ``multios``."""

    dialect = 'mysql'
    PASSWORD = 'multios-test'

    def __init__(self, directory):
        self.directory = directory
        self.datadir = os.path.join(directory, 'data')
        self.socket = os.path.join(directory, 'mysql.sock')
        self.pid_file = os.path.join(directory, 'mariadb.pid')
        self.log_path = os.path.join(directory, 'error.log')
        self.port = None
        self.process = None

    @staticmethod
    def available():
        return bool(shutil.which('mariadbd') or
                    os.path.exists('/usr/sbin/mariadbd'))

    def start(self):
        if not os.path.isdir(self.datadir):
            _run(['mariadb-install-db', '--no-defaults',
                  '--datadir=%s' % self.datadir, '--user=root',
                  '--auth-root-authentication-method=normal'])
        return self._serve(_free_port() if self.port is None else self.port)

    def _serve(self, port):
        self.port = port
        self.process = subprocess.Popen(
            [shutil.which('mariadbd') or '/usr/sbin/mariadbd',
             '--no-defaults', '--datadir=%s' % self.datadir, '--user=root',
             '--socket=%s' % self.socket, '--port=%d' % port,
             '--bind-address=127.0.0.1', '--skip-name-resolve',
             '--pid-file=%s' % self.pid_file,
             '--log-error=%s' % self.log_path,
             '--innodb-flush-log-at-trx-commit=2',
             '--max-connections=500'],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        _wait(lambda: os.path.exists(self.socket) and _port_open(port),
              'MariaDB', self.log_path)
        self.sql("CREATE USER IF NOT EXISTS 'multios'@'127.0.0.1' "
                 "IDENTIFIED BY '%s'; GRANT ALL ON *.* TO "
                 "'multios'@'127.0.0.1';" % self.PASSWORD)
        return self

    def sql(self, statements):
        return _run(['mariadb', '--no-defaults', '-S', self.socket, '-uroot',
                     '-e', statements])

    def database(self, prefix='multios'):
        name = '%s_%d' % (prefix, next(_names))
        self.sql('CREATE DATABASE %s CHARACTER SET utf8mb4' % name)
        return ('mysql+pymysql://multios:%s@127.0.0.1:%d/%s?charset=utf8mb4'
                % (self.PASSWORD, self.port, name))

    def stop(self):
        """Stop the server; ``start()`` again serves the same data."""
        processes.terminate(self.process)
        self.process = None


class PostgreSQL:
    """``postgres`` as the postgres user in ``directory``; trust auth."""

    dialect = 'postgresql'

    def __init__(self, directory):
        self.directory = directory
        self.datadir = os.path.join(directory, 'data')
        self.log_path = os.path.join(directory, 'postgresql.log')
        self.port = None

    @staticmethod
    def _bin(name):
        found = sorted(glob.glob('/usr/lib/postgresql/*/bin/%s' % name))
        return found[-1] if found else shutil.which(name)

    @classmethod
    def available(cls):
        return bool(cls._bin('initdb'))

    def _as_postgres(self, command):
        if os.geteuid() == 0:
            return ['runuser', '-u', 'postgres', '--'] + command
        return command

    def start(self):
        if os.geteuid() == 0:
            shutil.chown(self.directory, 'postgres')
        if not os.path.isdir(self.datadir):
            _run(self._as_postgres([self._bin('initdb'), '-D', self.datadir,
                                    '-A', 'trust', '-U', 'postgres']))
        if self.port is None:
            self.port = _free_port()
        _run(self._as_postgres([
            self._bin('pg_ctl'), '-D', self.datadir, '-l', self.log_path,
            '-w', '-t', str(START_TIMEOUT), '-o',
            '-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off '
            '-c max_connections=300' % (self.port, self.directory),
            'start']))
        return self

    def sql(self, statement):
        return _run(self._as_postgres([
            self._bin('psql'), '-h', '127.0.0.1', '-p', str(self.port), '-U',
            'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c',
            statement]))

    def database(self, prefix='multios'):
        name = '%s_%d' % (prefix, next(_names))
        self.sql('CREATE DATABASE %s' % name)
        return ('postgresql+psycopg2://postgres@127.0.0.1:%d/%s'
                % (self.port, name))

    def stop(self):
        if os.path.isdir(self.datadir):
            subprocess.run(self._as_postgres([
                self._bin('pg_ctl'), '-D', self.datadir, '-m', 'fast', '-w',
                'stop']), capture_output=True)
