# SPDX-License-Identifier: Apache-2.0
"""The dashboard decides by the API's own policy: the file it ships is the
API's defaults, as Horizon's own generator writes them."""

from openstack_dashboard.management.commands import dump_default_policies
import yaml

from multios_api_ext import policies
from multios_dashboard import policy
from multios_dashboard.utils import settings as plugin_settings


def generated():
    """What ``make dashboard-policy`` writes."""
    return yaml.dump([dump_default_policies._format_default_policy(rule)
                      for rule in policies.list_rules()])


def test_the_shipped_defaults_are_the_apis():
    with open(policy.DEFAULT_POLICY_FILE, encoding='utf-8') as shipped:
        assert shipped.read() == generated(), (
            'the API\'s policy changed: run "make dashboard-policy"')


def test_every_rule_the_dashboard_names_is_the_apis():
    named = {value for key, value in vars(policy).items()
             if key.isupper() and not key.startswith('_') and
             isinstance(value, str) and
             value.startswith('os_compute_api:')}
    assert named and named <= {rule.name for rule in policies.list_rules()}


def test_horizon_reads_them_as_the_multios_service():
    files, defaults, dirs = {'compute': 'nova_policy.yaml'}, {}, {}
    plugin_settings.add_policy(files, defaults, dirs)
    assert files == {'compute': 'nova_policy.yaml',
                     'multios': 'multios_policy.yaml'}
    assert defaults == {'multios': policy.DEFAULT_POLICY_FILE}
    assert dirs == {'multios': ['multios_policy.d']}
