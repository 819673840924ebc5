# SPDX-License-Identifier: Apache-2.0
"""Options for oslo-config-generator (entry point ``multios``)."""

from multios.conf import cloud
from multios.conf import credential
from multios.conf import database
from multios.conf import default
from multios.conf import engine
from multios.conf import fping
from multios.conf import health
from multios.conf import placement

MODULES = (default, database, cloud, placement, health, fping, engine,
           credential)


def list_opts():
    """[(group, [opts])] for every MultiOS group, [cloud:NAME] included."""
    return [(group, opts)
            for module in MODULES
            for group, opts in module.list_opts().items()]
