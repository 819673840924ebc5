"""Session fixtures shared by the functional and end-to-end tests.

Testbed clouds are started once per session and shared: a test that stops or
hangs a cloud starts it again, and a test that launches servers deletes them.
"""

import json
import shutil
import tempfile

import pytest

from tests.testbed import Testbed

#: The shared testbed: three clouds, alpha, beta and gamma.
SHARED_TESTBED = {'clouds': 3}


@pytest.fixture(scope='session')
def testbed_factory():
    """``testbed_factory(**kwargs)``: a running Testbed, one per set of kwargs.

    Special set-ups (quotas, short token expiration, another api-paste.ini
    for Nova) get a testbed of their own, still started once per session.
    """
    testbeds = {}
    directories = []

    def factory(**kwargs):
        kwargs = dict(SHARED_TESTBED, **kwargs)
        key = json.dumps(kwargs, sort_keys=True)
        if key not in testbeds:
            directory = tempfile.mkdtemp(prefix='multios-testbed-')
            directories.append(directory)
            testbeds[key] = Testbed(directory=directory, **kwargs).start()
        return testbeds[key]

    yield factory
    for testbed in testbeds.values():
        testbed.stop()
    for directory in directories:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope='session')
def testbed(testbed_factory):
    return testbed_factory()
