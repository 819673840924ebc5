# SPDX-License-Identifier: Apache-2.0
"""Benchmark: the federated Instances page through the API, and its row polls.

Starts a testbed of 4 clouds (or attaches to one with --attach), creates
--servers servers on every cloud owned by the first cloud's demo user (as
MultiOS launches them) and as many in the demo project of the first cloud
itself, starts multios-api as deployed (registered in the home catalog),
then, in this process, with the demo site's real Horizon settings (no cloud
account: the panels call the API with the user's token) and logged in as
demo through the first cloud's Keystone:

* federated: ``GET /project/multios_instances/``, every cloud's servers
  through the API;
* horizon: ``GET /project/instances/``, Horizon's own page for one cloud;

each --repeat times, alternately, after one warm-up of each, at two page
sizes: every server on one page (the federated page then renders four
times the rows), and Horizon's default page (both render as many rows: the
same work but for the fan-out). Server-side time is the time Django takes
to answer (test client: no network, no browser). Prints the medians and
their ratio at each size (goal: <= 1.0).

Then the cost of one row poll (a row with a task asks for itself again):
the cloud calls the API makes for it, counted in the log of a second
multios-api that logs every request it sends (novaclient's and
keystoneauth's REQ lines), for --polls polls after a warm-up (goal:
exactly one, on the server's own cloud), and what a show without the
server's cloud costs, for comparison.

Usage: python -m bench.bench_dashboard [--clouds 4] [--servers 50]
[--repeat 10] [--polls 10] [--dir DIR | --attach DIR]. The first cloud
holds both sets of servers; the demo project's quota there is raised to fit
them.
"""

import argparse
import collections
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.parse

from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint

from bench import testbeds
from multios_dashboard import demo
from tests.functional import api_server
from tests.functional import helpers

FEDERATED = '/project/multios_instances/'
HORIZON = '/project/instances/'
TINY_RAM_MB = 512
RATIO_GOAL = 1.0
#: Horizon's API_RESULT_PAGE_SIZE when a deployment sets none.
DEFAULT_PAGE_SIZE = 20
#: What the counting API logs: each request its clients send, and nothing
#: of its own chatter.
COUNTING_LOG = '\n'.join([
    '[DEFAULT]', 'debug = true',
    'default_log_levels = novaclient=DEBUG,keystoneauth=DEBUG,'
    'keystonemiddleware=WARN,routes=WARN,urllib3=WARN,oslo_policy=WARN,'
    'oslo_db=WARN,sqlalchemy=WARN,alembic=WARN,stevedore=WARN,'
    'multios=WARN,multios_api_ext=WARN,__main__=WARN', ''])
REQUEST_LINE = re.compile(r'REQ: curl -g -i -X (\w+) http://[\d.]+:(\d+)(\S*)')


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clouds', type=int, default=4)
    parser.add_argument('--servers', type=int, default=50,
                        help='servers per cloud')
    parser.add_argument('--repeat', type=int, default=10)
    parser.add_argument('--polls', type=int, default=10)
    testbeds.add_arguments(parser)
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


def _timed_get(client, path, **extra):
    start = time.perf_counter()
    response = client.get(path, **extra)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError('%s answered %s' % (path, response.status_code))
    return elapsed, response


def _login(testbed, state_dir):
    """A Django test client of the demo site, logged in as demo."""
    demo.configure(testbed.clouds[0].auth_url, state_dir)
    import django
    from django.conf import settings
    from django import test

    django.setup()
    client = test.Client(HTTP_HOST='127.0.0.1')
    credentials = testbed.clouds[0].credentials('demo')
    response = client.post('/auth/login/', {
        'username': credentials['username'],
        'password': credentials['password'], 'region': 'default'})
    if response.status_code != 302:
        raise RuntimeError('demo could not log in to Horizon')
    return client, settings


def _measure_pages(client, settings, page_size, repeat):
    settings.API_RESULT_PAGE_SIZE = page_size
    samples = {FEDERATED: [], HORIZON: []}
    for path in samples:  # warm-up: compressed CSS, sessions, tokens
        _, response = _timed_get(client, path)
        print('%s: %d rows' % (path, _rows(response.content)))
    for _ in range(repeat):
        for path, times in samples.items():
            times.append(_timed_get(client, path)[0])
    return {path: statistics.median(times) for path, times in
            samples.items()}


def _report_pages(label, size, testbed, args, medians):
    """Print one page size's medians and ratio as soon as measured."""
    federated, horizon = medians[FEDERATED], medians[HORIZON]
    ratio = federated / horizon
    print('%s (%d rows at most):' % (label, size))
    print('  federated Instances page, %d clouds x %d servers: %.1f ms'
          % (len(testbed.clouds), args.servers, federated * 1000))
    print("  Horizon's Instances page, 1 cloud x %d servers: %.1f ms"
          % (args.servers, horizon * 1000))
    print('  ratio federated / horizon: %.2f (goal <= %.1f): %s' % (
        ratio, RATIO_GOAL, 'met' if ratio <= RATIO_GOAL else 'NOT met'),
        flush=True)


class CallCounter:
    """The requests a counting multios-api sent since the last look."""

    def __init__(self, api, testbed):
        self.log_file = api.log_file
        self.offset = os.path.getsize(self.log_file)
        self.ports = {}
        for cloud in testbed.clouds:
            for kind, url in (('nova', cloud.compute_url),
                              ('keystone', cloud.auth_url)):
                self.ports[str(urllib.parse.urlsplit(url).port)] = (
                    cloud.name, kind)

    def since(self):
        """Counter of (cloud, kind) of the requests sent since last time."""
        time.sleep(0.3)  # the log line of the last request is written
        with open(self.log_file, encoding='utf-8', errors='replace') as log:
            log.seek(self.offset)
            text = log.read()
            self.offset = log.tell()
        return collections.Counter(
            self.ports.get(port, ('?', port))
            for _method, port, _path in REQUEST_LINE.findall(text))


def _row_poll_url(client, server_id):
    """The URL the server's row polls, as the page renders it."""
    page = client.get(FEDERATED).content.decode()
    row = next(tag for tag in re.findall(r'<tr [^>]*>', page)
               if 'data-object-id="%s"' % server_id in tag)
    url = re.search(r'data-update-url="([^"]+)"', row).group(1)
    return url.replace('&amp;', '&')


def _measure_polls(client, settings, counting, testbed, server_id, polls,
                   page_size):
    """Cloud calls per poll of the server's row, found on a page that
    holds every server (``page_size``).
    """
    settings.API_RESULT_PAGE_SIZE = page_size
    settings.MULTIOS_API_URL = counting.url + '/v1'
    counter = CallCounter(counting, testbed)
    url = _row_poll_url(client, server_id)
    ajax = {'HTTP_X_REQUESTED_WITH': 'XMLHttpRequest'}
    _timed_get(client, url, **ajax)  # warm-up: tokens, connections
    counter.since()
    per_poll = []
    for _ in range(polls):
        _timed_get(client, url, **ajax)
        per_poll.append(counter.since())
    # For comparison: the same server shown without naming its cloud.
    session = ks_session.Session(auth=token_endpoint.Token(
        counting.url + '/v1', testbed.clouds[0].session('demo').get_token()))
    show = counting.url + '/v1/os-federation/servers/' + server_id
    session.get(show)
    counter.since()
    session.get(show)
    return url, per_poll, counter.since()


def run(testbed, args, directory):
    home = testbed.clouds[0]
    metadata = helpers.owner_metadata(home.project_id('demo'),
                                      home.user_id('demo'))
    created = {}
    apis = []
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
        fping = '[fping]\nfping_path = /nonexistent\n'
        os.makedirs(os.path.join(directory, 'counting-api'), exist_ok=True)
        counting = api_server.ApiServer(
            testbed, os.path.join(directory, 'counting-api'),
            fping + COUNTING_LOG)
        apis.append(counting)
        apis.append(api_server.ApiServer(testbed, directory, fping))
        counting.start()
        apis[-1].start()  # the last started is the catalog's
        client, settings = _login(testbed, os.path.join(directory,
                                                        'horizon'))
        sizes = {'every server on one page':
                 len(testbed.clouds) * args.servers,
                 "Horizon's default page": DEFAULT_PAGE_SIZE}
        for label, size in sizes.items():
            _report_pages(label, size, testbed, args, _measure_pages(
                client, settings, size, args.repeat))
        server_id = created[testbed.clouds[-1]][0]
        url, per_poll, unnamed = _measure_polls(
            client, settings, counting, testbed, server_id, args.polls,
            sizes['every server on one page'])
    finally:
        for api in apis:
            api.stop()
        for cloud, ids in created.items():
            helpers.delete_servers(cloud, ids, timeout=600)
    print('row poll %s of a server on %s:' % (url, testbed.clouds[-1].name))
    for number, calls in enumerate(per_poll, 1):
        print('  poll %d: %d cloud call(s) %s' % (
            number, sum(calls.values()), dict(calls)))
    exactly_one = all(calls == collections.Counter(
        {(testbed.clouds[-1].name, 'nova'): 1}) for calls in per_poll)
    print('cloud calls per row poll: %s (goal: exactly one, on its own '
          'cloud): %s' % (sorted({sum(c.values()) for c in per_poll}),
                          'met' if exactly_one else 'NOT met'))
    print('the same show without naming its cloud: %d cloud calls %s' % (
        sum(unnamed.values()), dict(unnamed)))
    return 0


def main(argv=None):
    args = _parser().parse_args(argv)
    quota = [args.servers + 10] * args.clouds
    with testbeds.testbed_for(
            args, 'bench-dashboard-',
            quotas={'instances': quota, 'cores': quota,
                    'ram': [q * TINY_RAM_MB for q in quota]}) as testbed, \
            tempfile.TemporaryDirectory() as directory:
        return run(testbed, args, directory)


if __name__ == '__main__':
    sys.exit(main())
