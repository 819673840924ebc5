"""Benchmark: server-side time of the federated Instances page.

Starts a testbed of 4 clouds (or attaches to one with --attach), creates
--servers servers on every cloud owned by the first cloud's demo user (as
MultiOS launches them) and as many in the demo project of the first cloud
itself, then, in this process, with the demo site's real Horizon settings
and logged in as demo through the first cloud's Keystone:

* federated: ``GET /project/multios_instances/`` (every cloud's servers);
* horizon: ``GET /project/instances/``, Horizon's own page for one cloud
  (its page size raised so that it shows all of them too);

each --repeat times, alternately, after one warm-up of each. Server-side
time is the time Django takes to answer (test client: no network, no
browser). Prints both medians and their ratio (goal: <= 1.5).

Usage: python -m bench.bench_dashboard [--clouds 4] [--servers 50]
[--repeat 10] [--dir DIR | --attach DIR]. The first cloud holds both sets
of servers; the demo project's quota there is raised to fit them.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time

from multios_dashboard import demo
from tests.functional import helpers
from tests.testbed import testbed as testbed_mod

FEDERATED = '/project/multios_instances/'
HORIZON = '/project/instances/'
TINY_RAM_MB = 512


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clouds', type=int, default=4)
    parser.add_argument('--servers', type=int, default=50,
                        help='servers per cloud')
    parser.add_argument('--repeat', type=int, default=10)
    where = parser.add_mutually_exclusive_group()
    where.add_argument('--dir', help='directory of the testbed to start')
    where.add_argument('--attach', help='directory of a running testbed')
    return parser


def _wait_for_compute(cloud, timeout=300):
    """A cloud just started may not have reported its compute node yet."""
    nova = cloud.nova_client('admin')
    deadline = time.monotonic() + timeout
    while not any(h.state == 'up' for h in nova.hypervisors.list()):
        if time.monotonic() > deadline:
            raise RuntimeError('no compute node up on %s' % cloud.name)
        time.sleep(2)


def _create_demo_servers(cloud, count):
    """Servers of the demo project itself: what Horizon's own page shows."""
    admin = cloud.nova_client('admin')
    admin.quotas.update(cloud.project_id('demo'), instances=count + 10,
                        cores=count + 10, ram=(count + 10) * TINY_RAM_MB)
    return helpers.create_settled(cloud, 'bench-horizon-', count,
                                  user='demo')


def _rows(content):
    return len(re.findall(rb'<tr [^>]*data-object-id=', content))


def _timed_get(client, path):
    start = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError('%s answered %s' % (path, response.status_code))
    return elapsed, response


def _measure(testbed, args, state_dir):
    demo.configure(testbed.config_file, state_dir=state_dir,
                   config_dir=os.path.join(state_dir, 'clouds.d'))
    import django
    from django.conf import settings
    from django import test

    django.setup()
    settings.API_RESULT_PAGE_SIZE = args.servers * 2
    client = test.Client(HTTP_HOST='127.0.0.1')
    credentials = testbed.clouds[0].credentials('demo')
    response = client.post('/auth/login/', {
        'username': credentials['username'],
        'password': credentials['password'], 'region': 'default'})
    if response.status_code != 302:
        raise RuntimeError('demo could not log in to Horizon')
    samples = {FEDERATED: [], HORIZON: []}
    for path in samples:  # warm-up: compressed CSS, sessions, federation
        _, response = _timed_get(client, path)
        print('%s: %d rows' % (path, _rows(response.content)))
    for _ in range(args.repeat):
        for path, times in samples.items():
            times.append(_timed_get(client, path)[0])
    return {path: statistics.median(times) for path, times in
            samples.items()}


def run(testbed, args, directory):
    home = testbed.clouds[0]
    metadata = helpers.owner_metadata(home.project_id('demo'),
                                      home.user_id('demo'))
    created = {}
    try:
        for cloud in testbed.clouds:
            # One cloud after another: four clouds building at once on
            # a small machine answer too slowly.
            _wait_for_compute(cloud)
            created[cloud] = helpers.create_settled(
                cloud, 'bench-federated-%s-' % cloud.name, args.servers,
                metadata)
        created[home] = created[home] + _create_demo_servers(home,
                                                             args.servers)
        for cloud, ids in created.items():
            helpers.wait_active(cloud, ids, timeout=600)
        medians = _measure(testbed, args, os.path.join(directory, 'horizon'))
    finally:
        for cloud, ids in created.items():
            helpers.delete_servers(cloud, ids, timeout=600)
    federated, horizon = medians[FEDERATED], medians[HORIZON]
    print('federated Instances page, %d clouds x %d servers: %.1f ms'
          % (len(testbed.clouds), args.servers, federated * 1000))
    print("Horizon's Instances page, 1 cloud x %d servers: %.1f ms"
          % (args.servers, horizon * 1000))
    print('ratio federated / horizon: %.2f (goal <= 1.5)'
          % (federated / horizon))
    return 0


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.attach:
        return run(testbed_mod.Testbed.attach(args.attach), args,
                   tempfile.mkdtemp(prefix='bench-dashboard-'))
    directory = args.dir or tempfile.mkdtemp(prefix='bench-dashboard-')
    quota = [args.servers + 10] * args.clouds
    testbed = testbed_mod.Testbed(
        clouds=args.clouds, directory=directory,
        quotas={'instances': quota, 'cores': quota,
                'ram': [q * TINY_RAM_MB for q in quota]})
    testbed.start()
    try:
        return run(testbed, args, directory)
    finally:
        testbed.stop()


if __name__ == '__main__':
    sys.exit(main())
