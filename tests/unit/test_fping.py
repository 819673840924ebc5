# SPDX-License-Identifier: Apache-2.0
"""Unit tests of multios.fping: the runner against a fake fping binary, and
Nova's os-fping semantics against a fake federation.

The fake fping is a small executable script: it records its command line,
prints fping's per-target lines for the addresses it is told are alive and
exits like fping does, so the real subprocess path is exercised without a
single packet being sent.
"""

import json
import logging
import os
import sys
import textwrap

from oslo_config import cfg
import pytest

from multios.conf import fping as fping_conf
from multios import context as multios_context
from multios import exception
from multios import federation as multios_federation
from multios import fping
from multios.fping import runner as fping_runner

FAKE_FPING = textwrap.dedent('''\
    #!%(python)s
    import json, os, sys
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, 'behaviour.json')) as f:
        behaviour = json.load(f)
    with open(os.path.join(here, 'calls.jsonl'), 'a') as f:
        f.write(json.dumps(sys.argv[1:]) + '\\n')
    targets = [arg for arg in sys.argv[7:]]
    for target in targets:
        state = 'alive' if target in behaviour['alive'] else 'unreachable'
        print('%%s is %%s' %% (target, state))
    sys.stderr.write(behaviour.get('stderr', ''))
    sys.exit(behaviour.get('exit_code',
                           0 if set(targets) <= set(behaviour['alive'])
                           else 1))
''')


class FakeFping:
    """A fake fping in its own directory: set what answers, read the calls."""

    def __init__(self, directory):
        self.directory = directory
        self.path = str(directory / 'fping')
        with open(self.path, 'w') as script:
            script.write(FAKE_FPING % {'python': sys.executable})
        os.chmod(self.path, 0o755)
        self.behave(alive=())

    def behave(self, alive, exit_code=None, stderr=''):
        behaviour = {'alive': list(alive), 'stderr': stderr}
        if exit_code is not None:
            behaviour['exit_code'] = exit_code
        (self.directory / 'behaviour.json').write_text(json.dumps(behaviour))

    @property
    def calls(self):
        log = self.directory / 'calls.jsonl'
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    def targets(self):
        return [call[6:] for call in self.calls]


@pytest.fixture
def fake_fping(tmp_path):
    return FakeFping(tmp_path)


def make_runner(path, chunk_size=1000):
    return fping_runner.FpingRunner(fping_path=path, interval=1, retries=1,
                                    timeout=200, chunk_size=chunk_size)


# parse_output / canonical_address / argv ------------------------------------

def test_parse_output_maps_alive_and_unreachable_lines():
    stdout = ('198.18.1.2 is alive\n'
              'fd00:198:18:1::2 is unreachable\n'
              '198.18.1.3 is alive (0.04 ms)\n'
              'ICMP Host Unreachable from 198.18.1.1 for ICMP Echo\n'
              '\n')
    assert fping_runner.parse_output(stdout) == {
        '198.18.1.2': True, 'fd00:198:18:1::2': False, '198.18.1.3': True}


def test_parse_output_alive_wins_over_an_earlier_unreachable_line():
    answers = fping_runner.parse_output('10.0.0.1 is unreachable\n'
                                        '10.0.0.1 is alive\n')
    assert answers == {'10.0.0.1': True}


@pytest.mark.parametrize('address,canonical', [
    ('198.18.1.2', '198.18.1.2'),
    (' 198.18.1.2 ', '198.18.1.2'),
    ('fd00:0198:0018:0001:0:0:0:2', 'fd00:198:18:1::2'),
    ('FD00::A', 'fd00::a'),
    ('not-an-address', None),
    ('198.18.1.256', None),
    ('', None),
])
def test_canonical_address(address, canonical):
    assert fping_runner.canonical_address(address) == canonical


def test_argv_passes_interval_retries_timeout_then_targets():
    runner = fping_runner.FpingRunner('/usr/bin/fping', interval=0.5,
                                      retries=2, timeout=250, chunk_size=10)
    assert runner.argv(['198.18.1.2', 'fd00::2']) == [
        '/usr/bin/fping', '-i', '0.5', '-r', '2', '-t', '250',
        '198.18.1.2', 'fd00::2']


def test_from_conf_reads_the_fping_group():
    conf = cfg.ConfigOpts()
    fping_conf.register_opts(conf)
    conf([])
    conf.set_override('fping_path', '/opt/fping', group='fping')
    conf.set_override('chunk_size', 7, group='fping')
    runner = fping_runner.FpingRunner.from_conf(conf)
    assert (runner.fping_path, runner.chunk_size) == ('/opt/fping', 7)
    assert (runner.interval, runner.retries, runner.timeout) == (
        conf.fping.interval, conf.fping.retries, conf.fping.timeout)


# check_available / alive ----------------------------------------------------

def test_missing_fping_raises_fping_not_found(tmp_path):
    runner = make_runner(str(tmp_path / 'no-such-fping'))
    with pytest.raises(exception.FpingNotFound) as raised:
        runner.alive(['198.18.1.2'])
    assert str(raised.value) == 'fping utility is not found.'
    assert raised.value.code == 503


def test_non_executable_fping_raises_fping_not_found(fake_fping):
    os.chmod(fake_fping.path, 0o644)
    with pytest.raises(exception.FpingNotFound):
        make_runner(fake_fping.path).check_available()


def test_directory_as_fping_raises_fping_not_found(tmp_path):
    with pytest.raises(exception.FpingNotFound):
        make_runner(str(tmp_path)).check_available()


def test_alive_returns_the_answering_addresses(fake_fping):
    fake_fping.behave(alive=['198.18.1.2', 'fd00:198:18:1::3'])
    alive = make_runner(fake_fping.path).alive(
        ['198.18.1.2', '198.18.1.3', 'fd00:198:18:1::2', 'fd00:198:18:1::3'])
    assert alive == {'198.18.1.2', 'fd00:198:18:1::3'}
    assert len(fake_fping.calls) == 1


def test_alive_passes_each_address_once_in_canonical_form(fake_fping):
    fake_fping.behave(alive=['fd00::2'])
    alive = make_runner(fake_fping.path).alive(
        ['fd00:0:0::2', 'fd00::2', 'FD00::2', 'bogus'])
    assert alive == {'fd00::2'}
    assert fake_fping.targets() == [['fd00::2']]


def test_alive_runs_one_fping_per_chunk(fake_fping):
    addresses = ['198.18.1.%d' % host for host in range(2, 9)]
    fake_fping.behave(alive=addresses[::2])
    alive = make_runner(fake_fping.path, chunk_size=3).alive(addresses)
    assert alive == set(addresses[::2])
    chunks = fake_fping.targets()
    assert sorted(len(chunk) for chunk in chunks) == [1, 3, 3]
    assert sorted(sum(chunks, [])) == sorted(addresses)


def test_alive_without_addresses_does_not_run_fping(fake_fping):
    assert make_runner(fake_fping.path).alive([]) == set()
    assert fake_fping.calls == []


@pytest.mark.parametrize('exit_code', [1, 2])
def test_alive_accepts_fping_partial_exit_codes(fake_fping, exit_code):
    fake_fping.behave(alive=['198.18.1.2'], exit_code=exit_code)
    assert make_runner(fake_fping.path).alive(
        ['198.18.1.2', '198.18.1.3']) == {'198.18.1.2'}


@pytest.mark.parametrize('exit_code', [3, 4])
def test_alive_raises_a_one_line_error_on_fping_failure(fake_fping,
                                                        exit_code):
    fake_fping.behave(alive=[], exit_code=exit_code,
                      stderr='fping: can\'t create socket\nmore detail\n')
    with pytest.raises(exception.MultiOSError) as raised:
        make_runner(fake_fping.path).alive(['198.18.1.2'])
    assert str(raised.value) == (
        "fping failed with exit code %d: fping: can't create socket"
        % exit_code)


# check(): Nova's os-fping semantics over a federation ----------------------

def nova_addresses(*addresses, kind='fixed'):
    return {'net': [{'addr': address, 'version': 6 if ':' in address else 4,
                     'OS-EXT-IPS:type': kind} for address in addresses]}


class FakeFederation:
    """Answers like Federation for one admin and per-project callers."""

    def __init__(self, conf, servers, errors=()):
        self.conf = conf
        self.servers = servers
        self.errors = list(errors)
        self.calls = []

    def list_servers(self, context, all_tenants=False, cloud=None):
        self.calls.append(('list_servers', all_tenants))
        return multios_federation.Result(
            [s for s in self.servers
             if all_tenants or s.project_id == context.project_id],
            self.errors)

    def get_server(self, context, server_id):
        self.calls.append(('get_server', server_id))
        for server in self.servers:
            if server.id == server_id and (
                    context.is_admin or
                    server.project_id == context.project_id):
                return server
        raise exception.ServerNotFound(server_id=server_id)


def make_server(server_id, cloud, project_id, addresses):
    return multios_federation.Server(
        id=server_id, name=server_id, cloud=cloud, status='ACTIVE',
        project_id=project_id, user_id='u-' + project_id,
        addresses=addresses)


SERVERS = [
    make_server('a1', 'alpha', 'p1', nova_addresses('198.18.1.2',
                                                    'fd00:198:18:1::2')),
    make_server('a2', 'alpha', 'p1', nova_addresses('198.18.1.3')),
    make_server('b1', 'beta', 'p1', {
        **nova_addresses('198.18.2.2'),
        'public': nova_addresses('fd00:198:18:2::9',
                                 kind='floating')['net']}),
    make_server('b2', 'beta', 'p2', nova_addresses('198.18.2.3')),
    make_server('g1', 'gamma', 'p1', {}),
]
ALIVE = ['fd00:198:18:1::2', 'fd00:198:18:2::9', '198.18.2.3']

ADMIN = multios_context.RequestContext('admin', 'admin', is_admin=True)
MEMBER = multios_context.RequestContext('p1', 'u1')


@pytest.fixture
def federation(fake_fping):
    conf = cfg.ConfigOpts()
    fping_conf.register_opts(conf)
    conf([])
    conf.set_override('fping_path', fake_fping.path, group='fping')
    fake_fping.behave(alive=ALIVE)
    return FakeFederation(conf, SERVERS)


def alive_map(result):
    return {item['id']: item['alive'] for item in result.items}


def test_check_lists_own_servers_alive_when_any_address_answers(federation):
    items = fping.check(federation, MEMBER)
    assert alive_map(items) == {'a1': True, 'a2': False, 'b1': True,
                                'g1': False}
    assert items.items[0] == {'id': 'a1', 'project_id': 'p1',
                              'cloud': 'alpha', 'alive': True}


def test_check_pings_every_address_in_one_run(federation, fake_fping):
    fping.check(federation, MEMBER)
    assert sorted(sum(fake_fping.targets(), [])) == sorted([
        '198.18.1.2', 'fd00:198:18:1::2', '198.18.1.3', '198.18.2.2',
        'fd00:198:18:2::9'])
    assert len(fake_fping.calls) == 1


def test_check_all_tenants_for_admin(federation):
    items = fping.check(federation, ADMIN, all_tenants=True)
    assert alive_map(items) == {'a1': True, 'a2': False, 'b1': True,
                                'b2': True, 'g1': False}
    assert ('list_servers', True) in federation.calls


def test_check_all_tenants_is_forbidden_to_members(federation, fake_fping):
    with pytest.raises(exception.Forbidden):
        fping.check(federation, MEMBER, all_tenants=True)
    assert federation.calls == [] and fake_fping.calls == []


def test_check_include_wins_over_exclude(federation):
    items = fping.check(federation, MEMBER, include='a2,b1', exclude='b1')
    assert alive_map(items) == {'a2': False, 'b1': True}


def test_check_exclude_drops_servers(federation):
    items = fping.check(federation, MEMBER, exclude=['a1', 'g1'])
    assert alive_map(items) == {'a2': False, 'b1': True}


def test_check_empty_include_means_no_include(federation):
    items = fping.check(federation, MEMBER, include=' , ', exclude='a1')
    assert alive_map(items) == {'a2': False, 'b1': True, 'g1': False}


def test_check_include_cannot_reach_other_projects(federation):
    assert fping.check(federation, MEMBER, include='b2').items == []


def test_check_single_server_ignores_filters(federation):
    items = fping.check(federation, MEMBER, server_id='b1', exclude='b1')
    assert items.items == [{'id': 'b1', 'project_id': 'p1',
                            'cloud': 'beta', 'alive': True}]
    assert federation.calls == [('get_server', 'b1')]


def test_check_single_server_of_another_project_is_not_found(federation):
    with pytest.raises(exception.ServerNotFound):
        fping.check(federation, MEMBER, server_id='b2')


def test_check_server_without_address_is_not_alive_and_not_pinged(
        federation, fake_fping):
    assert fping.check(federation, MEMBER, server_id='g1').items == [
        {'id': 'g1', 'project_id': 'p1', 'cloud': 'gamma', 'alive': False}]
    assert fake_fping.calls == []


def test_check_missing_fping_fails_before_asking_clouds(federation):
    federation.conf.set_override('fping_path', '/nonexistent/fping',
                                 group='fping')
    with pytest.raises(exception.FpingNotFound,
                       match=r'^fping utility is not found\.$'):
        fping.check(federation, ADMIN)
    assert federation.calls == []


def test_check_keeps_the_answering_clouds_when_one_fails(federation, caplog):
    federation.errors = [
        multios_federation.CloudError('gamma', 'connection refused')]
    with caplog.at_level(logging.WARNING, logger='multios.fping'):
        items = fping.check(federation, MEMBER, include='a1')
    assert alive_map(items) == {'a1': True}
    assert items.errors == federation.errors
    assert [record.getMessage() for record in caplog.records] == [
        'fping skips the servers of cloud gamma: connection refused']
