# SPDX-License-Identifier: Apache-2.0
"""Benchmark: the MultiOS REST API under concurrent clients.

Starts a testbed (or attaches to one with --attach), creates servers owned
by the first cloud's demo project (no ports, so fping has nothing to ping;
fping runs in a network namespace of the benchmark's own anyway, through a
wrapper, so no ping can leave), starts multios-api as deployed (paste
pipeline, keystonemiddleware, rate limit switched off) and, in one run:

* requests per second of ``GET os-federation/servers`` and ``GET os-fping``
  for 1, 4 and 8 concurrent clients, each with a real demo token;
* the latency of one client against calling the core directly
  (``Federation.list_servers`` / ``fping.check`` in process), one of each in
  turn: the median difference is what the API adds (auth, policy, WSGI,
  JSON, HTTP).

Needs root (network namespace). Usage: python -m bench.bench_api
[--clouds 2] [--servers 5] [--requests 40] [--dir DIR | --attach DIR]
"""

import argparse
from concurrent import futures
import os
import statistics
import sys
import tempfile
import time

from oslo_config import cfg
import requests

from bench import testbeds
from multios import conf as multios_conf
from multios import context
from multios import federation
from multios import fping
from tests.functional import api_server
from tests.functional import helpers
from tests.functional import netns

CONCURRENCY = (1, 4, 8)
PATHS = {'servers': '/v1/os-federation/servers', 'fping': '/v1/os-fping'}


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clouds', type=int, default=2)
    parser.add_argument('--servers', type=int, default=5,
                        help='demo servers per cloud')
    parser.add_argument('--requests', type=int, default=40,
                        help='requests per measurement')
    testbeds.add_arguments(parser)
    return parser


def _get(url, token):
    started = time.perf_counter()
    response = requests.get(url, headers={'X-Auth-Token': token}, timeout=120)
    if response.status_code != 200:
        raise RuntimeError('%s answered %s: %s' % (
            url, response.status_code, response.text[:200]))
    return time.perf_counter() - started


def _throughput(url, token, clients, count):
    """(requests per second, median latency) with ``clients`` in parallel."""
    with futures.ThreadPoolExecutor(clients) as pool:
        started = time.perf_counter()
        latencies = list(pool.map(lambda _: _get(url, token), range(count)))
        elapsed = time.perf_counter() - started
    return count / elapsed, statistics.median(latencies)


def _paired(url, token, core_call, count):
    """Medians of (API, core, API - core), one API call then one core call.

    Pairing the two keeps the clouds' own drift out of the difference.
    """
    api, core = [], []
    for _ in range(count):
        api.append(_get(url, token))
        started = time.perf_counter()
        core_call()
        core.append(time.perf_counter() - started)
    return (statistics.median(api), statistics.median(core),
            statistics.median(a - c for a, c in zip(api, core)))


def _core(testbed, fping_path):
    conf = cfg.ConfigOpts()
    multios_conf.load([], conf, default_config_files=[testbed.config_file])
    conf.set_override('fping_path', fping_path, group='fping')
    return federation.Federation(conf)


def run(testbed, args, directory):
    cloud = testbed.clouds[0]
    owner = context.RequestContext(project_id=cloud.project_id('demo'),
                                   user_id=cloud.user_id('demo'))
    metadata = helpers.owner_metadata(owner.project_id, owner.user_id)
    created = {c.name: helpers.create_servers(c, 'bench-api', args.servers,
                                              metadata)
               for c in testbed.clouds}
    with netns.NetNamespace('multios-bench-api') as namespace:
        wrapper = api_server.write_fping_wrapper(
            namespace, os.path.join(directory, 'fping'))
        api = api_server.ApiServer(
            testbed, directory, '[api]\nfping_rate_limit = 0\n'
            '[fping]\nfping_path = %s\n' % wrapper).start()
        try:
            for c in testbed.clouds:
                helpers.wait_active(c, created[c.name])
            token = cloud.session('demo').get_token()
            fed = _core(testbed, wrapper)
            core = {
                'servers': lambda: fed.list_servers(owner),
                'fping': lambda: fping.check(fed, owner),
            }
            print('%d clouds, %d demo servers each, %d requests per figure'
                  % (len(testbed.clouds), args.servers, args.requests))
            for name, path in PATHS.items():
                url = api.url + path
                _get(url, token)  # warm the token cache and connections
                for clients in CONCURRENCY:
                    rps, median = _throughput(url, token, clients,
                                              args.requests)
                    print('GET %-26s %d clients: %7.1f req/s, median '
                          '%6.1f ms' % (path, clients, rps, median * 1000))
                api_median, core_median, added = _paired(
                    url, token, core[name], args.requests)
                print('GET %-26s API median %.1f ms, core %.1f ms: the API '
                      'adds %.1f ms (x%.2f)' % (
                          path, api_median * 1000, core_median * 1000,
                          added * 1000, api_median / core_median))
        finally:
            api.stop()
            for c in testbed.clouds:
                helpers.delete_servers(c, created[c.name])


def main(argv=None):
    args = _parser().parse_args(argv)
    with testbeds.testbed_for(args, 'multios-bench-api-') as testbed, \
            tempfile.TemporaryDirectory() as directory:
        run(testbed, args, directory)
    return 0


if __name__ == '__main__':
    sys.exit(main())
