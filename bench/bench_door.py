# SPDX-License-Identifier: Apache-2.0
"""Benchmark: the extra cost of the door, multiosclient against the core.

Starts a testbed (or attaches to one with --attach), creates servers owned
by the home cloud's demo project, starts multios-api as deployed (paste
pipeline, keystonemiddleware; registered in the home catalog, where the
client finds it) and, in one run, over the same servers, lists them in
turn:

* through the door: ``multiosclient`` ``servers.list()`` with a keystoneauth
  Session of the demo user (catalog look-up, token, policy, WSGI, JSON,
  every page);
* in process: the core call the API makes, ``LaunchService.list_servers``,
  on the same configuration and database.

One call of each in turn, so that the clouds' own drift stays out of the
ratio; the figure is the median door time over the median core time (goal:
at most 1.1). No fping runs.

Usage: python -m bench.bench_door [--clouds 3] [--servers 10]
[--requests 30] [--dir DIR | --attach DIR]
"""

import argparse
import statistics
import sys
import tempfile
import time

from keystoneauth1 import identity
from keystoneauth1 import session as ks_session
from oslo_config import cfg

from bench import testbeds
from multios import conf as multios_conf
from multios import context
from multios import core as multios_core
from multiosclient import client as multiosclient
from tests.functional import api_server
from tests.functional import helpers

GOAL = 1.1


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clouds', type=int, default=3)
    parser.add_argument('--servers', type=int, default=10,
                        help='demo servers per cloud')
    parser.add_argument('--requests', type=int, default=30,
                        help='calls of each kind')
    testbeds.add_arguments(parser)
    return parser


def _timed(call):
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def run(testbed, args, directory):
    home = testbed.clouds[0]
    owner = context.RequestContext(project_id=home.project_id('demo'),
                                   user_id=home.user_id('demo'))
    metadata = helpers.owner_metadata(owner.project_id, owner.user_id)
    created = {c.name: helpers.create_settled(c, 'bench-door-', args.servers,
                                              metadata)
               for c in testbed.clouds}
    api = api_server.ApiServer(testbed, directory,
                               '[fping]\nfping_path = /nonexistent\n').start()
    try:
        conf = cfg.ConfigOpts()
        multios_conf.load([], conf, default_config_files=[api.config_file])
        launches = multios_core.Core(conf, 'bench').launches
        session = ks_session.Session(auth=identity.Password(
            **home.credentials('demo')))
        door = multiosclient.Client(session)
        expected = sum(len(ids) for ids in created.values())
        calls = {'door': lambda: door.servers.list(),
                 'core': lambda: launches.list_servers(owner).items}
        for call in calls.values():  # token, connections, caches
            listed = call()
            assert len([s for s in listed if s.name.startswith(
                'bench-door-')]) == expected, len(listed)
        times = {name: [] for name in calls}
        for _ in range(args.requests):
            for name, call in calls.items():
                times[name].append(_timed(call)[0])
        door_ms, core_ms = (statistics.median(times[n]) * 1000
                            for n in ('door', 'core'))
        ratio = door_ms / core_ms
        print('%d clouds, %d demo servers, %d listings of each, in turn'
              % (len(testbed.clouds), expected, args.requests))
        print('multiosclient servers.list()  median %7.1f ms' % door_ms)
        print('core list_servers (in process) median %7.1f ms' % core_ms)
        print('door / core = %.2f (goal <= %.1f): %s' % (
            ratio, GOAL, 'met' if ratio <= GOAL else 'NOT met'))
    finally:
        api.stop()
        for c in testbed.clouds:
            helpers.delete_servers(c, created[c.name], timeout=600)


def main(argv=None):
    args = _parser().parse_args(argv)
    with testbeds.testbed_for(args, 'multios-bench-door-') as testbed, \
            tempfile.TemporaryDirectory() as directory:
        run(testbed, args, directory)
    return 0


if __name__ == '__main__':
    sys.exit(main())
