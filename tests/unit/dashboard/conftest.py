# SPDX-License-Identifier: Apache-2.0
"""Set Django up once for the dashboard's unit tests.

pytest runs Horizon's ``TestCase`` classes (unittest style) as they are;
this does what Django's test runner would do first.
"""

import os

import django
from django.test import utils as django_test_utils

os.environ.setdefault('DJANGO_SETTINGS_MODULE',
                      'tests.unit.dashboard.settings')
os.environ.setdefault('HORIZON_TEST_RUN', 'True')
django.setup()
django_test_utils.setup_test_environment()
django_test_utils.setup_databases(verbosity=0, interactive=False)


def pytest_configure(config):
    # Markers Horizon's test helpers put on their own base classes.
    for marker in ('selenium', 'plugin_test'):
        config.addinivalue_line('markers',
                                '%s: marker of Horizon test helpers' % marker)
