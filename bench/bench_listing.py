# SPDX-License-Identifier: Apache-2.0
"""Benchmark: federated server listing against one-cloud listings.

Starts a testbed of 4 real clouds (or attaches to a running one with
--attach), creates 50 servers in each straight through novaclient, then, in
the same run and for several rounds, times:

* the federated listing (``Federation.list_servers``, all clouds at once),
* each cloud's own listing through the same code (``cloud=NAME``),
* those single-cloud listings one after another (their sum).

It prints the medians and two ratios: aggregated / slowest single cloud
(goal <= 1.2: the federation costs little beyond its slowest cloud) and
sequential / aggregated (goal >= 3: the clouds are really asked in parallel).
The testbed clouds share this machine's CPUs, so it also prints the CPU
time the clouds' services spent per federated listing: divided by the
number of CPUs it is the least time any client could take, however
parallel.

Usage: python -m bench.bench_listing [--clouds 4] [--servers 50]
       [--rounds 5] [--dir DIR | --attach DIR]
"""

import argparse
from concurrent import futures
import os
import statistics
import sys
import time

from oslo_config import cfg

from bench import testbeds
from multios import conf as multios_conf
from multios import context
from multios import federation
from tests.functional import helpers

ADMIN = context.get_admin_context()


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clouds', type=int, default=4)
    parser.add_argument('--servers', type=int, default=50,
                        help='servers per cloud')
    parser.add_argument('--rounds', type=int, default=5)
    testbeds.add_arguments(parser)
    return parser


def _timed(func):
    started = time.perf_counter()
    result = func()
    if result.errors:
        raise RuntimeError('listing failed: %s' % result.errors)
    return time.perf_counter() - started, len(result.items)


def _service_cpu_seconds(testbed):
    """User + system CPU time used so far by every testbed service."""
    ticks = 0
    for cloud in testbed.clouds:
        for service in cloud.services:
            with open('/proc/%d/stat' % service.pid) as stat:
                fields = stat.read().rpartition(')')[2].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf('SC_CLK_TCK')


def _populate_cloud(cloud, per_cloud):
    """Make ``cloud`` hold ``per_cloud`` bench servers -> their IDs."""
    ids = helpers.create_settled(
        cloud, 'bench-%s-' % cloud.name, per_cloud,
        metadata=helpers.owner_metadata('p-bench', 'u-bench'))
    statuses = helpers.wait_active(cloud, ids, timeout=600,
                                   accept=('ACTIVE', 'ERROR'))
    print('%s: %d servers, %d ACTIVE' % (
        cloud.name, len(ids), sum(s == 'ACTIVE' for s in statuses.values())),
        file=sys.stderr)
    return ids


def _populate(testbed, per_cloud):
    """Populate every cloud, all at once -> {cloud name: server IDs}."""
    with futures.ThreadPoolExecutor(len(testbed.clouds)) as pool:
        jobs = {c.name: pool.submit(_populate_cloud, c, per_cloud)
                for c in testbed.clouds}
    return {name: job.result() for name, job in jobs.items()}


def measure(fed, testbed, rounds):
    """Per round: (aggregated, {cloud: single}, sequential) seconds, the
    number of servers listed and the clouds' CPU seconds of the aggregated
    listing.
    """
    names = [c.name for c in testbed.clouds]
    samples = []
    for _ in range(rounds):
        cpu = _service_cpu_seconds(testbed)
        aggregated, count = _timed(
            lambda: fed.list_servers(ADMIN, all_tenants=True))
        cpu = _service_cpu_seconds(testbed) - cpu
        singles = {name: _timed(lambda: fed.list_servers(
            ADMIN, all_tenants=True, cloud=name))[0] for name in names}
        started = time.perf_counter()
        for name in names:
            _timed(lambda: fed.list_servers(ADMIN, all_tenants=True,
                                            cloud=name))
        sequential = time.perf_counter() - started
        samples.append((aggregated, singles, sequential, count, cpu))
    return samples


def report(samples, names):
    aggregated = statistics.median(s[0] for s in samples)
    singles = {n: statistics.median(s[1][n] for s in samples) for n in names}
    sequential = statistics.median(s[2] for s in samples)
    slowest = max(singles.values())
    print('servers listed per federated call: %d' % samples[0][3])
    print('aggregated (federated) list: %.3f s' % aggregated)
    for name in names:
        print('  %-8s alone:             %.3f s' % (name, singles[name]))
    print('one after another (sequential): %.3f s' % sequential)
    print('aggregated / slowest single = %.2f (goal <= 1.2)'
          % (aggregated / slowest))
    print('sequential / aggregated     = %.2f (goal >= 3)'
          % (sequential / aggregated))
    cpu = statistics.median(s[4] for s in samples)
    cpus = os.cpu_count()
    print('clouds\' CPU time per aggregated list: %.3f s; on %d CPUs no '
          'client can list in less than %.3f s (aggregated / that = %.2f)'
          % (cpu, cpus, cpu / cpus, aggregated / (cpu / cpus)))
    print('load average during the run: %.1f' % os.getloadavg()[0])


def main(argv=None):
    args = _parser().parse_args(argv)
    unlimited = [-1] * args.clouds
    with testbeds.testbed_for(args, 'bench-listing-', quotas={
            'instances': unlimited, 'cores': unlimited,
            'ram': unlimited}) as testbed:
        _run(testbed, args)
    return 0


def _run(testbed, args):
    ids = {}
    try:
        print('creating %d servers per cloud ...' % args.servers,
              file=sys.stderr)
        ids = _populate(testbed, args.servers)
        config = helpers.write_config(testbed, testbed.directory,
                                      api_timeout=120)
        conf = multios_conf.load(['--config-file', config],
                                 conf=cfg.ConfigOpts())
        fed = federation.Federation(conf)
        measure(fed, testbed, 1)  # warm up: tokens, connections
        report(measure(fed, testbed, args.rounds),
               [c.name for c in testbed.clouds])
    finally:
        for cloud in testbed.clouds:
            helpers.delete_servers(cloud, ids.get(cloud.name, []),
                                   timeout=600)


if __name__ == '__main__':
    sys.exit(main())
