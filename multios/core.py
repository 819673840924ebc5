# SPDX-License-Identifier: Apache-2.0
"""The core objects one MultiOS process shares, built on first use.

Every front end (the CLI, multios-api, multios-engine, the dashboard) needs
the same set: the database, the federation of clouds, the placement, a
runner that carries launches, and the services over them. ``Core`` builds
each once, when first asked, so that a command that needs no database never
opens one.
"""

import threading

from multios import cleanup
from multios.db import api as db_api
from multios import federation
from multios.launches import runner
from multios.launches import service
from multios import placement
from multios import registry


class Built:
    """Objects built once, on first use, safely across threads."""

    def __init__(self, **given):
        self._built = dict(given)
        self._lock = threading.RLock()  # a build may need another

    def _get(self, name, build):
        if name not in self._built:
            with self._lock:
                if name not in self._built:
                    self._built[name] = build()
        return self._built[name]


class Core(Built):

    def __init__(self, conf, kind, state_file=None, **given):
        """``state_file``: see Federation; ``given``: objects to use instead
        of building them, by name (fakes in unit tests).
        """
        super().__init__(**given)
        self.conf = conf
        self.kind = kind
        self.state_file = state_file

    @property
    def db(self):
        return self._get('db', lambda: db_api.Database(self.conf))

    @property
    def federation(self):
        return self._get('federation', lambda: federation.Federation(
            conf=self.conf, registry=self.registry,
            state_file=self.state_file))

    @property
    def registry(self):
        return self._get('registry', lambda: registry.CloudRegistry(
            self.db, self.conf))

    @property
    def placement(self):
        return self._get('placement', lambda: placement.Placement(
            self.federation, self.db, conf=self.conf))

    @property
    def runner(self):
        return self._get('runner', lambda: runner.Runner(
            self.db, self.federation, self.placement, self.conf, self.kind))

    @property
    def launches(self):
        return self._get('launches', lambda: service.LaunchService(
            self.db, self.federation, self.placement, self.runner,
            self.conf))

    @property
    def cleaner(self):
        return self._get('cleaner', lambda: cleanup.LeakCleaner(
            self.db, self.federation, self.conf, self.runner.id,
            self.runner.launcher.keypairs))

    def built(self, name):
        """The object ``name`` if it was built, else None."""
        return self._built.get(name)
