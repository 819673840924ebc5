# SPDX-License-Identifier: Apache-2.0
"""Policy defaults, their sample file and their enforcement."""

import os
import types

from oslo_policy import generator
import pytest
import webob.exc

from multios_api_ext import policies
from multios_api_ext import policy
from tests.unit import api_helpers

SAMPLE = os.path.join(os.path.dirname(__file__), '..', '..', 'etc',
                      'multios', 'policy.yaml.sample')


def test_policy_sample_matches_the_defaults():
    """Regenerate with: oslopolicy-sample-generator --namespace multios."""
    generated = ''.join(generator._format_rule_default_yaml(rule)
                        for rule in policies.list_rules())
    with open(SAMPLE) as sample:
        assert sample.read() == generated


def caller(roles, project_id='p1'):
    credentials = {'roles': roles, 'project_id': project_id,
                   'user_id': 'u1'}
    return types.SimpleNamespace(
        credentials=credentials,
        context=types.SimpleNamespace(project_id=project_id))


@pytest.fixture
def enforcer():
    return policy.Enforcer(api_helpers.make_conf())


def test_reader_reads_own_project_only(enforcer):
    reader = caller(['reader'])
    enforcer.authorize(reader, policies.SERVERS_SHOW)
    with pytest.raises(webob.exc.HTTPForbidden):
        enforcer.authorize(reader, policies.SERVERS_SHOW,
                           {'project_id': 'p2'})


def test_reader_cannot_launch(enforcer):
    with pytest.raises(webob.exc.HTTPForbidden):
        enforcer.authorize(caller(['reader']), policies.SERVERS_CREATE)
    enforcer.authorize(caller(['member', 'reader']), policies.SERVERS_CREATE)


@pytest.mark.parametrize('rule', [policies.FPING_ALL_TENANTS,
                                  policies.SERVERS_ALL_TENANTS])
def test_all_tenants_is_admin_only(enforcer, rule):
    with pytest.raises(webob.exc.HTTPForbidden):
        enforcer.authorize(caller(['member', 'reader']), rule)
    enforcer.authorize(caller(['admin']), rule)


def test_is_admin_follows_context_is_admin(enforcer):
    assert enforcer.is_admin({'roles': ['admin'], 'project_id': 'p1'})
    assert not enforcer.is_admin({'roles': ['member'], 'project_id': 'p1'})
