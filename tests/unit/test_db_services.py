# SPDX-License-Identifier: Apache-2.0
"""multios/db/services.py: the processes that showed a heartbeat lately."""

import datetime
import unittest


from multios.db import services as services_db
from tests.unit import db_helpers

NOW = datetime.datetime(2026, 12, 1, 12, 0, 0)


class ServicesTest(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.db = db_helpers.make_database(
            self, db_helpers.make_conf(self))
        self.now = db_helpers.stop_the_clock(self, NOW)

    def beat(self, service_id, kind, seconds_ago):
        self.now.return_value = NOW - datetime.timedelta(seconds=seconds_ago)
        self.db.run(services_db.beat, service_id, kind, 'host', 1, NOW)
        self.now.return_value = NOW

    def alive(self, kinds, within):
        return self.db.run(lambda session: [
            service.id for service in services_db.alive(session, kinds,
                                                        within)])

    def test_alive_are_the_kinds_that_beat_within_the_window(self):
        self.beat('api-1', 'api', 5)
        self.beat('engine-1', 'engine', 10)
        self.beat('engine-2', 'engine', 30)
        self.beat('engine-3', 'engine', 31)
        # Newest first; a heartbeat exactly ``within`` old still counts.
        self.assertEqual(['engine-1', 'engine-2'],
                         self.alive(['engine'], 30))
        self.assertEqual(['api-1', 'engine-1'],
                         self.alive(['api', 'engine'], 10))

    def test_a_second_beat_refreshes_the_same_row(self):
        self.beat('engine-1', 'engine', 60)
        self.beat('engine-1', 'engine', 0)
        self.assertEqual(['engine-1'], self.alive(['engine'], 1))

    def test_remove_takes_that_service_only(self):
        for service_id in ('engine-1', 'engine-2', 'engine-3'):
            self.beat(service_id, 'engine', 0)
        self.db.run(services_db.remove, 'engine-2')
        self.assertEqual(['engine-1', 'engine-3'],
                         sorted(self.alive(['engine'], 60)))
