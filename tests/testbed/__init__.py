"""Real OpenStack clouds on loopback for MultiOS's functional tests."""

from tests.testbed.testbed import CLOUD_NAMES  # noqa: F401
from tests.testbed.testbed import IMAGES  # noqa: F401
from tests.testbed.testbed import subnets_for  # noqa: F401
from tests.testbed.testbed import Testbed  # noqa: F401
from tests.testbed.testbed import TestbedError  # noqa: F401
from tests.testbed.testbed import TestCloud  # noqa: F401
