"""Placement engine: filters, then weighers, then a strategy.

See doc/source/contributor/core-api.rst for the public names.
"""

from multios.placement.manager import Placement  # noqa: F401
from multios.placement.model import Candidate  # noqa: F401
from multios.placement.model import LaunchRequest  # noqa: F401
from multios.placement.model import Ranking  # noqa: F401
from multios.placement.model import Rejection  # noqa: F401
