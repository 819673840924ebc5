# SPDX-License-Identifier: Apache-2.0
"""Session fixtures shared by the functional and end-to-end tests.

Testbed clouds are started once per session and shared: a test that stops or
hangs a cloud starts it again, and a test that launches servers deletes them.
So are the MariaDB and PostgreSQL servers (tests/dbservers.py); each test
that asks for ``database_url`` gets a fresh database of its own on each
backend: sqlite, MariaDB and PostgreSQL.
"""

import json
import shutil
import tempfile

import pytest

from tests import dbservers
from tests.testbed import Testbed

#: The shared testbed: three clouds, alpha, beta and gamma.
SHARED_TESTBED = {'clouds': 3}


@pytest.fixture(scope='session')
def testbed_factory():
    """``testbed_factory(**kwargs)``: a running Testbed, one per set of kwargs.

    Special set-ups (quotas, short token expiration, another api-paste.ini
    for Nova) get a testbed of their own, still started once per session.
    """
    testbeds = {}
    directories = []

    def factory(**kwargs):
        kwargs = dict(SHARED_TESTBED, **kwargs)
        key = json.dumps(kwargs, sort_keys=True)
        if key not in testbeds:
            directory = tempfile.mkdtemp(prefix='multios-testbed-')
            directories.append(directory)
            testbeds[key] = Testbed(directory=directory, **kwargs).start()
        return testbeds[key]

    yield factory
    for testbed in testbeds.values():
        testbed.stop()
    for directory in directories:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope='session')
def testbed(testbed_factory):
    return testbed_factory()


def _database_server(kind):
    if not kind.available():
        pytest.fail('%s is not installed: "make test" installs it (Debian '
                    'packages mariadb-server and postgresql)' % kind.__name__,
                    pytrace=False)
    directory = tempfile.mkdtemp(prefix='multios-%s-' % kind.dialect)
    server = kind(directory).start()
    return server, directory


@pytest.fixture(scope='session')
def mariadb():
    server, directory = _database_server(dbservers.MariaDB)
    yield server
    server.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope='session')
def postgresql():
    server, directory = _database_server(dbservers.PostgreSQL)
    yield server
    server.stop()
    shutil.rmtree(directory, ignore_errors=True)


BACKENDS = ('sqlite', 'mysql', 'postgresql')


def _new_database(request, tmp_path, backend):
    if backend == 'sqlite':
        return 'sqlite:///%s' % (tmp_path / 'multios.sqlite')
    server = request.getfixturevalue(
        'mariadb' if backend == 'mysql' else 'postgresql')
    return server.database()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A new, empty database on each backend, as a [database] connection."""
    return _new_database(request, tmp_path, request.param)


@pytest.fixture(params=BACKENDS[1:])
def server_database_url(request, tmp_path):
    """A new, empty database on MariaDB and on PostgreSQL."""
    return _new_database(request, tmp_path, request.param)
