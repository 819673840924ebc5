# SPDX-License-Identifier: Apache-2.0
"""A private configuration and an sqlite database per unit test."""

import tempfile
from unittest import mock

from oslo_config import cfg
from oslo_utils import timeutils

from multios import conf as multios_conf
from multios.db import api as db_api


def make_conf(testcase, **groups):
    """A ConfigOpts with the core options, state in a temporary directory.

    ``groups``: {group: {option: value}} overrides, e.g.
    ``placement={'max_attempts': 2}``.
    """
    directory = tempfile.TemporaryDirectory()
    testcase.addCleanup(directory.cleanup)
    conf = cfg.ConfigOpts()
    multios_conf.register_opts(conf)
    conf([])
    conf.set_override('state_path', directory.name)
    # No fsync per commit: a unit test's database dies with the test.
    conf.set_override('sqlite_synchronous', False, group='database')
    for group, values in groups.items():
        for name, value in values.items():
            conf.set_override(name, value, group=group)
    return conf


def make_database(testcase, conf):
    db = db_api.Database(conf)
    testcase.addCleanup(db.dispose)
    return db


def stop_the_clock(testcase, now):
    """timeutils.utcnow() answers ``now`` (a mock: set its return_value)."""
    clock = mock.patch.object(timeutils, 'utcnow', return_value=now)
    testcase.addCleanup(clock.stop)
    return clock.start()
