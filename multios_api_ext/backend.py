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

from oslo_log import log as logging

from multios import core
from multios.db import ratelimit
from multios import exception

from multios_api_ext import policy

LOG = logging.getLogger(__name__)


class Backend(core.Built):
    """What the controllers call: the core plus policy and rate limits."""

    def __init__(self, load_conf):
        super().__init__()
        self._load_conf = load_conf

    @property
    def conf(self):
        return self._get('conf', self._load_conf)

    @property
    def core(self):
        return self._get('core', self._build_core)

    def _build_core(self):
        """The core, its runner carrying launches (and adopting orphans)."""
        built = core.Core(self.conf, 'api')
        built.runner.start(adopt=self.conf.engine.adopt_in_api)
        return built

    @property
    def federation(self):
        return self.core.federation

    @property
    def placement(self):
        return self.core.placement

    @property
    def launches(self):
        return self.core.launches

    @property
    def enforcer(self):
        return self._get('enforcer', lambda: policy.Enforcer(self.conf))

    def start(self):
        """At load: carry launches, and adopt orphans unless told not to.

        A broken configuration is only logged here; requests answer with it
        (and build the core once it is fixed).
        """
        try:
            self.core
        except exception.MultiOSError as error:
            LOG.error('MultiOS launches are not carried by this process: %s',
                      error)

    def fping_rate_limit(self, key):
        """None when ``key`` may call os-fping now, else Retry-After."""
        api = self.conf.api
        return ratelimit.hit(self.core.db, 'os-fping:%s' % key,
                             api.fping_rate_limit, api.fping_rate_period)
