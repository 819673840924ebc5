# SPDX-License-Identifier: Apache-2.0
"""Property: whatever a client sends, the answer is a Nova-shaped 4xx or a 2xx.

Hypothesis builds requests (methods, paths with any bytes, query strings,
bodies of random bytes, random JSON, almost-valid servers, deep nesting)
and sends them through the shipped paste pipeline. The core is a stand-in
that refuses every call with a core error, so that what is tested is the
API's own routing, parsing, validation and fault handling. The examples are
derived from the test's name (derandomize): the same bounded set each run.
"""

import json
from unittest import mock
from urllib import parse

from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
import pytest

from multios import exception
from multios_api_ext import faults
from multios_api_ext import policy
from tests.unit import api_helpers

FED = '/v1/os-federation'
UUID = '6f0f62a5-8ef4-4b6e-9d43-9b1d3c3c1f0a'
MAX_EXAMPLES = 300


def _refuse(*args, **kwargs):
    raise exception.Invalid(reason='the stand-in core takes no call')


class RefusingCore:
    """Any attribute is a call that raises a core error (a 400)."""

    def __getattr__(self, name):
        return _refuse


class StandInBackend:
    """The real policy, no rate limit, a refusing core for the rest."""

    def __init__(self, conf):
        self.conf = conf
        self.enforcer = policy.Enforcer(conf)

    def start(self):
        """Nothing to carry."""

    def fping_rate_limit(self, key):
        return None

    def __getattr__(self, name):
        return RefusingCore()


@pytest.fixture(scope='module')
def application():
    app, _backend = api_helpers.load(make_backend=StandInBackend)
    with mock.patch('multios.fping.check', _refuse):
        yield app


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (st.lists(inner, max_size=4) |
                   st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
names = st.text(max_size=300) | st.sampled_from(
    ['vm', 'vm\n', ' vm', 'vm ', '\ud800', '3', 'x' * 256])
refs = st.text(max_size=300) | st.integers() | json_values
servers = st.fixed_dictionaries(
    {'server': st.fixed_dictionaries(
        {'name': names, 'flavorRef': refs, 'imageRef': refs},
        optional={'count': st.integers() | json_values, 'cloud': names,
                  'colour': json_values})})
# Deep enough, at times, for the parser's recursion limit; under 112 KiB.
depths = st.integers(1, 60000) | st.sampled_from([1000, 5000, 50000])
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(json.dumps),
    servers.map(json.dumps),
    depths.map(lambda depth: '[' * depth),
    depths.map(lambda depth: '{"a":' * depth + '1' + '}' * depth),
    st.just(''))
segments = st.one_of(
    st.text(max_size=20).map(lambda text: parse.quote(text, safe='')),
    st.binary(max_size=12).map(lambda raw: parse.quote(raw, safe='')),
    st.sampled_from(['detail', '..', '%2e%2e', '%00', parse.quote('сервер'),
                     UUID, '']))
paths = st.one_of(
    st.sampled_from(['/', '/v1', '/v1/', FED + '/clouds', FED + '/servers',
                     FED + '/placement', '/v1/os-fping', '/v1/os-nothing']),
    st.builds(lambda base, segment, tail: base + segment + tail,
              st.sampled_from([FED + '/clouds/', FED + '/servers/',
                               '/v1/os-fping/', '/v1/', '/', FED + '/']),
              segments, st.sampled_from(['', '/', '/x', '?'])))
methods = st.sampled_from(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD',
                           'OPTIONS'])
# Half the requests are POSTs to the resources that parse a body.
targets = st.one_of(
    st.tuples(st.just('POST'),
              st.sampled_from([FED + '/placement', FED + '/servers'])),
    st.tuples(methods, paths))
queries = st.dictionaries(
    st.sampled_from(['all_tenants', 'cloud', 'include', 'exclude']) |
    st.text(max_size=6), st.text(max_size=12), max_size=3).map(
        parse.urlencode)


@settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None,
          deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=targets, query=queries, body=bodies,
       content_type=st.sampled_from(['application/json', '', 'text/plain',
                                     'application/json; charset=utf-8']),
       caller=st.sampled_from([api_helpers.MEMBER, api_helpers.ADMIN,
                               None]))
def test_every_answer_is_nova_shaped(application, target, query, body,
                                     content_type, caller):
    method, path = target
    response = api_helpers.request(
        application, path + ('?' + query if query else ''), method=method,
        caller=caller, body=body or None, content_type=content_type)
    status = response.status_int
    assert 200 <= status < 300 or 400 <= status < 500, (status, response.text)
    assert b'Traceback' not in response.body
    if status >= 400 and method != 'HEAD':
        fault, = response.json.values()
        assert list(response.json) == [faults.FAULT_NAMES[status]]
        assert fault['code'] == status
        assert isinstance(fault['message'], str) and fault['message']
