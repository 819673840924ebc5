# SPDX-License-Identifier: Apache-2.0
"""multios/db/ratelimit.py: a sliding window per key, in the database."""

import datetime
import unittest
from unittest import mock

from oslo_db import exception as db_exc

from multios.db import ratelimit
from tests.unit import db_helpers

NOW = datetime.datetime(2026, 12, 1, 12, 0, 0)


class RateLimitTest(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.db = db_helpers.make_database(
            self, db_helpers.make_conf(self))
        self.clock = db_helpers.stop_the_clock(self, NOW)

    def at(self, seconds):
        self.clock.return_value = NOW + datetime.timedelta(seconds=seconds)

    def hits(self, key, limit=2, period=60, times=1):
        return [ratelimit.hit(self.db, key, limit, period)
                for _ in range(times)]

    def test_the_hit_over_the_limit_waits_for_the_oldest_to_leave(self):
        self.assertEqual([None], self.hits('a'))
        self.at(20)
        self.assertEqual([None], self.hits('a'))
        self.at(30)
        # The window holds hits at 0 and 20: the first leaves at 60.
        self.assertEqual([30], self.hits('a'))
        self.at(60)
        self.assertEqual([None], self.hits('a'))
        self.at(90)
        # Left: the hits at 20 (leaving at 80) and 60.
        self.assertEqual([None], self.hits('a'))
        self.assertEqual([30], self.hits('a'))

    def test_under_a_second_to_wait_is_one_second(self):
        self.assertEqual([None, None], self.hits('a', times=2))
        self.at(59.5)
        self.assertEqual([1], self.hits('a'))

    def test_each_key_counts_its_own_hits(self):
        # Keys on either side of 'm' in sort order, filled first.
        for key in ('a', 'z'):
            self.assertEqual([None, None, 60], self.hits(key, times=3))
        self.assertEqual([None, None], self.hits('m', times=2))
        self.at(60)
        # m's hits leave the window, as a's and z's do.
        self.assertEqual([None, None, 60], self.hits('m', times=3))

    def test_a_lowered_limit_applies_at_once(self):
        self.assertEqual([None] * 4, self.hits('a', limit=5, times=4))
        self.assertEqual([60], self.hits('a', limit=2))

    def test_no_limit_counts_nothing(self):
        self.assertEqual([None] * 3, self.hits('a', limit=0, times=3))
        self.assertEqual([None, None], self.hits('a', times=2))

    def test_a_key_another_worker_made_first_is_counted_in(self):
        real_run = self.db.run
        raced = []

        def run(func, *args, **kwargs):
            if not raced:
                raced.append(func)
                real_run(func, *args, **kwargs)  # the other worker's hit
                raise db_exc.DBDuplicateEntry()
            return real_run(func, *args, **kwargs)
        with mock.patch.object(self.db, 'run', run):
            self.assertIsNone(ratelimit.hit(self.db, 'a', 2, 60))
        self.assertEqual([60], self.hits('a'))
