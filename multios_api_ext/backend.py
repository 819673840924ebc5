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

"""The core objects and API helpers one API process shares by requests.

Everything is built on first use. Inside nova-api that keeps a missing or
broken MultiOS configuration from stopping Nova's own API: only the MultiOS
resources answer with the configuration error, until it is fixed.
"""

import threading

from multios import federation
from multios import launcher
from multios import placement

from multios_api_ext import policy
from multios_api_ext import ratelimit


class Backend:
    """What the controllers call: the core plus policy and rate limits."""

    def __init__(self, load_conf):
        self._load_conf = load_conf
        self._built = {}
        self._lock = threading.RLock()  # a build may need another

    def _get(self, name, build):
        if name not in self._built:
            with self._lock:
                if name not in self._built:
                    self._built[name] = build()
        return self._built[name]

    @property
    def conf(self):
        return self._get('conf', self._load_conf)

    @property
    def federation(self):
        return self._get('federation',
                         lambda: federation.Federation(conf=self.conf))

    @property
    def placement(self):
        return self._get('placement', lambda: placement.Placement(
            self.federation, conf=self.conf))

    @property
    def launcher(self):
        return self._get('launcher', lambda: launcher.Launcher(
            self.federation, self.placement, conf=self.conf))

    @property
    def enforcer(self):
        return self._get('enforcer', lambda: policy.Enforcer(self.conf))

    @property
    def fping_limiter(self):
        api = self.conf.api
        return self._get('fping_limiter', lambda: (
            ratelimit.SlidingWindowLimiter(api.fping_rate_limit,
                                           api.fping_rate_period)))
