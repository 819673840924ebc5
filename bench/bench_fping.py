# SPDX-License-Identifier: Apache-2.0
"""Benchmark of ``multios fping`` against raw fping, inside a namespace.

Inside a network namespace it makes (root needed): 1000 addresses - half
IPv4, half IPv6 - of which 500 are configured (alive) and 500 are routed
into a sink that drops them (dead: real timeouts, no send errors). With the
[fping] options of the configuration (or the flags below) it times
``multios.fping.check()`` over 1000 servers of one address each, listed by
a federation whose clouds have already answered (no cloud I/O: gathering,
chunked fping runs, parsing and mapping back to servers), against raw
fping over the same addresses, twice:

* equal work: MultiOS with ``chunk_size`` = all the addresses (one fping
  run) against one raw fping run with the same flags: what MultiOS adds;
* same packet rate: MultiOS with its ``chunk_size`` (up to
  ``MAX_PARALLEL_RUNS`` runs at once, each at ``-i``) against the best raw
  fping a user could type for that rate: one run with ``-i`` divided by
  the number of runs MultiOS has going at once.

It prints both, labelled, with the ratios (goal: multios / raw <= 1.2).
Run from the repository as ``python -m bench.bench_fping [--config-file
F] [--interval MS] [--timeout MS] [--retries N] [--chunk-size N]``.
"""

import argparse
import ipaddress
import os
import statistics
import subprocess
import sys
import time

from oslo_config import cfg

from multios.conf import fping as fping_conf
from multios import context as multios_context
from multios import federation as multios_federation
from multios import fping
from multios.fping import runner as fping_runner
from tests.functional import netns

ALIVE_V4 = ipaddress.ip_network('198.18.1.0/24')
DEAD_V4 = ipaddress.ip_network('198.18.2.0/24')
ALIVE_V6 = ipaddress.ip_network('fd00:198:18:1::/64')
DEAD_V6 = ipaddress.ip_network('fd00:198:18:2::/64')
PER_NETWORK = 250
REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OVERRIDES = ('interval', 'retries', 'timeout', 'chunk_size')


def _hosts(network):
    return [str(network[host]) for host in range(2, 2 + PER_NETWORK)]


def _addresses():
    alive = _hosts(ALIVE_V4) + _hosts(ALIVE_V6)
    dead = _hosts(DEAD_V4) + _hosts(DEAD_V6)
    return alive, dead


class StaticFederation:
    """A federation whose clouds already answered with ``servers``."""

    def __init__(self, conf, servers):
        self.conf = conf
        self.servers = servers

    def list_servers(self, context, all_tenants=False, cloud=None):
        return multios_federation.Result(items=self.servers)


def _server(index, address):
    return multios_federation.Server(
        id='server-%04d' % index, name='server-%04d' % index,
        cloud='alpha', status='ACTIVE', project_id='bench',
        addresses={'net': [{'addr': address,
                            'version': ipaddress.ip_address(address).version,
                            'OS-EXT-IPS:type': 'fixed'}]})


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config-file', action='append', default=[])
    parser.add_argument('--interval', type=int,
                        help='ms, overrides [fping] interval')
    parser.add_argument('--retries', type=int,
                        help='overrides [fping] retries')
    parser.add_argument('--timeout', type=int,
                        help='ms, overrides [fping] timeout')
    parser.add_argument('--chunk-size', type=int,
                        help='overrides [fping] chunk_size')
    parser.add_argument('--repeat', type=int, default=3,
                        help='runs per measurement; the median is kept')
    parser.add_argument('--inside', action='store_true',
                        help=argparse.SUPPRESS)
    return parser


def _conf(args):
    conf = cfg.ConfigOpts()
    fping_conf.register_opts(conf)
    conf([], default_config_files=args.config_file)
    for name in OVERRIDES:
        if getattr(args, name) is not None:
            conf.set_override(name, getattr(args, name), group='fping')
    return conf


def _median_seconds(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _raw_alive(argv):
    process = subprocess.run(argv, capture_output=True, text=True,
                             check=False)
    return {address for address, alive
            in fping_runner.parse_output(process.stdout).items() if alive}


def _multios_alive(conf, servers):
    items = fping.check(StaticFederation(conf, servers),
                        multios_context.get_admin_context(), all_tenants=True)
    return {server.addresses['net'][0]['addr']
            for server, item in zip(servers, items) if item['alive']}


def _compare(title, multios_label, multios, raw_label, raw, repeat):
    """Time both ways; print them and their ratio; the alive sets found."""
    multios_s, multios_alive = _median_seconds(multios, repeat)
    raw_s, raw_alive = _median_seconds(raw, repeat)
    print(title)
    for label, seconds in ((multios_label, multios_s), (raw_label, raw_s)):
        print('  %-54s %.3f s (median of %d)' % (label + ':', seconds,
                                                 repeat))
    print('  %-54s %.2f (goal <= 1.2)' % ('ratio multios / raw:',
                                          multios_s / raw_s))
    return multios_alive, raw_alive


def measure(args):
    """Runs inside the namespace: time both comparisons, print the figures."""
    conf = _conf(args)
    runner = fping_runner.FpingRunner.from_conf(conf)
    alive, dead = _addresses()
    addresses = alive + dead
    servers = [_server(index, address)
               for index, address in enumerate(addresses)]
    chunks = -(-len(addresses) // runner.chunk_size)
    at_once = min(chunks, fping_runner.MAX_PARALLEL_RUNS)
    same_rate = fping_runner.FpingRunner(
        runner.fping_path, runner.interval / at_once, runner.retries,
        runner.timeout, len(addresses))

    print('fping %s: -i %d ms -r %d -t %d ms; chunk_size %d, at most %d '
          'runs at once' % (runner.fping_path, runner.interval,
                            runner.retries, runner.timeout,
                            runner.chunk_size,
                            fping_runner.MAX_PARALLEL_RUNS))
    print('addresses: %d (%d alive, %d dead; half IPv4, half IPv6)'
          % (len(addresses), len(alive), len(dead)))

    found = []
    conf.set_override('chunk_size', len(addresses), group='fping')
    found += _compare(
        'equal work: one fping run over all %d addresses at -i %d ms'
        % (len(addresses), runner.interval),
        'multios check(), chunk_size %d' % len(addresses),
        lambda: _multios_alive(conf, servers),
        'raw fping -i %g, one run' % runner.interval,
        lambda: _raw_alive(runner.argv(addresses)), args.repeat)
    conf.set_override('chunk_size', runner.chunk_size, group='fping')
    found += _compare(
        'same packet rate: %d packet(s) per %d ms'
        % (at_once, runner.interval),
        'multios check(), chunk_size %d (%d runs, %d at once)'
        % (runner.chunk_size, chunks, at_once),
        lambda: _multios_alive(conf, servers),
        'raw fping -i %g, one run' % same_rate.interval,
        lambda: _raw_alive(same_rate.argv(addresses)), args.repeat)
    correct = all(answer == set(alive) for answer in found)
    print('alive found (multios, raw; equal work, same rate): %s of %d: %s'
          % (', '.join(str(len(answer)) for answer in found), len(alive),
             'OK' if correct else 'WRONG'))
    return 0 if correct else 1


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    if args.inside:
        return measure(args)
    alive, _ = _addresses()
    with netns.NetNamespace('multios-bench-%d' % os.getpid()) as namespace:
        namespace.add_addresses(alive)
        namespace.drop([DEAD_V4, DEAD_V6])
        inside = [sys.executable, '-m', 'bench.bench_fping', '--inside',
                  *argv]
        return subprocess.run(namespace.command(inside), cwd=REPOSITORY,
                              check=False).returncode


if __name__ == '__main__':
    sys.exit(main())
