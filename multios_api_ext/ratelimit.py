# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""A sliding-window request limiter kept in this process's memory.

Each API process counts on its own: behind N workers a project may make up
to N times the configured number of requests. That is the price of needing
no shared store, and it is enough to stop one client from flooding fping.
"""

import collections
import math
import threading
import time


class SlidingWindowLimiter:
    """Allow limit hits per key within any period seconds."""

    def __init__(self, limit, period, clock=time.monotonic):
        self.limit = limit
        self.period = period
        self._clock = clock
        self._hits = collections.defaultdict(collections.deque)
        self._lock = threading.Lock()

    def hit(self, key):
        """Record a hit for key.

        :returns: None when the hit is allowed, else the whole number of
            seconds after which the next hit will be (Retry-After).
        """
        if not self.limit:
            return None
        now = self._clock()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - self.period:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.period - now))
            hits.append(now)
            return None
