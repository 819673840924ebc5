"""Benchmark of ``multios fping`` against raw fping, inside a namespace.

Inside a network namespace it makes (root needed): 1000 addresses - half
IPv4, half IPv6 - of which 500 are configured (alive) and 500 are routed
into a sink that drops them (dead: real timeouts, no send errors). With the
[fping] options of the configuration (or the flags below) it times:

* multios: ``multios.fping.check()`` over 1000 servers of one address each,
  listed by a federation whose clouds have already answered (no cloud I/O:
  gathering, chunked fping runs, parsing and mapping back to servers);
* raw: one fping run over the same 1000 addresses with the same flags;
* one at a time: one fping per address over a sample, extrapolated to 1000.

and prints the ratios (goal: multios / raw <= 1.2). Run from the
repository as ``python -m bench.bench_fping [--config-file F] [--interval
MS] [--timeout MS] [--retries N] [--chunk-size N]``.
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
    parser.add_argument('--sample', type=int, default=20,
                        help='addresses (half alive) pinged one at a time')
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


def _raw_alive(runner, addresses):
    process = subprocess.run(runner.argv(addresses), capture_output=True,
                             text=True, check=False)
    return {address for address, alive
            in fping_runner.parse_output(process.stdout).items() if alive}


def measure(args):
    """Runs inside the namespace: time the three ways, print the figures."""
    conf = _conf(args)
    runner = fping_runner.FpingRunner.from_conf(conf)
    alive, dead = _addresses()
    addresses = alive + dead
    servers = [_server(index, address)
               for index, address in enumerate(addresses)]
    federation = StaticFederation(conf, servers)
    admin = multios_context.get_admin_context()
    multios_s, items = _median_seconds(
        lambda: fping.check(federation, admin, all_tenants=True),
        args.repeat)
    multios_alive = {server.addresses['net'][0]['addr']
                     for server, item in zip(servers, items)
                     if item['alive']}
    raw_s, raw_alive = _median_seconds(
        lambda: _raw_alive(runner, addresses), args.repeat)
    sample = alive[:args.sample // 2] + dead[:args.sample // 2]
    single_s, _ = _median_seconds(
        lambda: [_raw_alive(runner, [address]) for address in sample], 1)
    single_1000_s = single_s / len(sample) * len(addresses)
    correct = multios_alive == raw_alive == set(alive)

    print('fping %s: -i %d ms -r %d -t %d ms; chunk_size %d, at most %d '
          'runs at once' % (runner.fping_path, runner.interval,
                            runner.retries, runner.timeout,
                            runner.chunk_size,
                            fping_runner.MAX_PARALLEL_RUNS))
    print('addresses: %d (%d alive, %d dead; half IPv4, half IPv6)'
          % (len(addresses), len(alive), len(dead)))
    print('alive found: multios %d, raw %d, expected %d: %s'
          % (len(multios_alive), len(raw_alive), len(alive),
             'OK' if correct else 'WRONG'))
    print('multios check(), 1000 servers:  %.3f s (median of %d)'
          % (multios_s, args.repeat))
    print('raw fping, one run of 1000:     %.3f s (median of %d)'
          % (raw_s, args.repeat))
    print('one at a time, %d sampled:      %.3f s -> %.1f s extrapolated '
          'to 1000' % (len(sample), single_s, single_1000_s))
    print('ratio multios / raw:            %.2f (goal <= 1.2)'
          % (multios_s / raw_s))
    print('ratio one-at-a-time / multios:  %.1f'
          % (single_1000_s / multios_s))
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
