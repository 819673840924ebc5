# SPDX-License-Identifier: Apache-2.0
"""Benchmark: durable launches, measured side by side in one run.

* ``accept``: median and p95 of ``POST os-federation/servers`` against
  ``POST os-federation/placement`` for the same body, one after the other
  through one real multios-api (goal: ratio <= 1.5: accepting costs one
  placement decision plus one transaction, never a boot).
* ``concurrency``: 50 launches from 4 client threads across 2 multios-api
  processes on one MariaDB, over 3 clouds whose quotas sum to 30: how many
  instances were placed (goal: exactly 30) and launches accepted per second.
* ``decision``: one placement decision with its reservation transaction
  (what ``accept`` does after reading the clouds) over 100 synthetic clouds,
  on sqlite and on MariaDB (goal: median < 5 ms).

``accept`` and ``concurrency`` start a testbed of real clouds and a MariaDB
server; ``decision`` needs only the database servers. Usage:
``python -m bench.bench_launches [--part accept|concurrency|decision]``.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time

from oslo_config import cfg
from oslo_utils import timeutils

from multios import conf as multios_conf
from multios import context as multios_context
from multios.db import api as db_api
from multios.db import quota as quota_db
from multios.launches import service
from multios.placement import manager
from multios.placement import model
from tests import dbservers
from tests.functional import api_server
from tests.functional import helpers
from tests.testbed import testbed as testbed_mod

BODY = {'server': {'name': 'bench', 'flavorRef': 'm1.tiny',
                   'imageRef': 'cirros'}}
FED = '/v1/os-federation'


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _timed(call):
    started = time.perf_counter()
    response = call()
    return time.perf_counter() - started, response


def _client(testbed, api, user='admin'):
    token = testbed.clouds[0].session(user).get_token()
    return api_server.Client(api.url, token)


def _delete_multios_servers(testbed):
    for cloud in testbed.clouds:
        helpers.delete_servers(cloud, [
            s.id for s in helpers.all_servers(cloud)
            if s.metadata.get('multios:request_id')])


def bench_accept(testbed, directory, rounds):
    api = api_server.ApiServer(testbed, directory).start()
    try:
        client = _client(testbed, api)
        client.post(FED + '/placement', BODY)  # warm token and limits
        accepts, placements = [], []
        for _ in range(rounds):
            seconds, response = _timed(
                lambda: client.post(FED + '/placement', BODY))
            assert response.status_code == 200, response.text
            placements.append(seconds)
            seconds, response = _timed(
                lambda: client.post(FED + '/servers', BODY))
            assert response.status_code == 202, response.text
            accepts.append(seconds)
        for label, values in (('POST servers (accept)', accepts),
                              ('POST placement', placements)):
            print('%-24s median %6.1f ms  p95 %6.1f ms' % (
                label, statistics.median(values) * 1000,
                _percentile(values, 0.95) * 1000))
        print('accept/placement: median x%.2f, p95 x%.2f (goal <= 1.5)' % (
            statistics.median(accepts) / statistics.median(placements),
            _percentile(accepts, 0.95) / _percentile(placements, 0.95)))
    finally:
        api.stop()
        _delete_multios_servers(testbed)


def bench_concurrency(testbed, directory, mariadb, launches=50, threads=4):
    database = mariadb.database()
    done = api_server.write_process_config(
        testbed, directory + '/manage.conf',
        api_server.shared_state_section(directory, database))
    conf = cfg.ConfigOpts()
    multios_conf.load(['--config-file', done], conf=conf)
    db_api.Database(conf).sync()
    apis = [api_server.ApiServer(testbed, directory, database=database)
            .start() for _ in range(2)]
    try:
        clients = [_client(testbed, api) for api in apis]
        for client in clients:
            client.post(FED + '/placement', BODY)
        answers = []
        lock = threading.Lock()

        def post(index):
            client = clients[index % len(clients)]
            for _ in range(launches // threads + (index < launches % threads)):
                response = client.post(FED + '/servers', BODY)
                with lock:
                    answers.append(response)

        workers = [threading.Thread(target=post, args=(i,))
                   for i in range(threads)]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
        accepted = [a for a in answers if a.status_code == 202]
        placed = sum(len(a.json()['launch']['servers']) for a in accepted)
        print('%d launches from %d threads on 2 APIs (MariaDB), quotas '
              'summing to %d: %d accepted, %d refused (409), %d placed '
              '(goal: exactly %d)' % (
                  len(answers), threads, 30, len(accepted),
                  sum(1 for a in answers if a.status_code == 409), placed,
                  30))
        print('accepted %.1f launches/s (%d answers in %.2f s)' % (
            len(answers) / elapsed, len(answers), elapsed))
        for answer in accepted:
            api_server.follow(clients[0], answer.headers['Location'].replace(
                apis[1].url, apis[0].url))
        statuses = [s.status for c in testbed.clouds
                    for s in helpers.all_servers(c)]
        print('Nova afterwards: %d servers, %d ACTIVE, %d ERROR' % (
            len(statuses), statuses.count('ACTIVE'), statuses.count('ERROR')))
    finally:
        for api in apis:
            api.stop()
        _delete_multios_servers(testbed)


def _synthetic_snapshot(count=100):
    flavor = model.Flavor('f1', 'm1.tiny', 1, 512, 1)
    image = model.Image('i1', 'cirros')
    limits = {'instances': (10000, 10), 'cores': (20000, 10),
              'ram': (10 ** 7, 5120)}
    return [model.CloudFacts('cloud%03d' % i, flavors=(flavor,),
                             images=(image,), limits=limits,
                             latency_ms=10.0 + i)
            for i in range(count)]


class _Federation:
    """What Placement needs of a federation when the facts are given."""

    def cloud(self, name):
        return None


def bench_decision(label, url, directory, decisions=200):
    conf = cfg.ConfigOpts()
    multios_conf.register_opts(conf)
    conf([])
    conf.set_override('state_path', directory)
    conf.set_override('connection', url, group='database')
    db = db_api.Database(conf)
    db.sync()
    snapshot = _synthetic_snapshot()
    for cloud in snapshot:
        quota_db.store(db, cloud.name, cloud.limits,
                       timeutils.utcnow())
    placement = manager.Placement(_Federation(), db, conf)
    launches = service.LaunchService(db, None, placement, None, conf)
    request = model.LaunchRequest('bench', 'm1.tiny', 'cirros')
    times = []
    for _ in range(decisions):
        context = multios_context.RequestContext('p', 'u')
        seconds, _ = _timed(lambda: db.run(launches.record, context, request,
                                           snapshot, 'bench:0:0'))
        times.append(seconds)
    print('decision + reservation over 100 clouds on %-7s median %5.2f ms, '
          'p95 %5.2f ms (goal: median < 5 ms)' % (
              label, statistics.median(times) * 1000,
              _percentile(times, 0.95) * 1000))
    db.dispose()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--part', choices=('all', 'accept', 'concurrency',
                                           'decision'), default='all')
    parser.add_argument('--rounds', type=int, default=25,
                        help='accepts measured (each boots a server)')
    args = parser.parse_args(argv)
    directory = tempfile.mkdtemp(prefix='multios-bench-launches-')
    os.makedirs(directory + '/mariadb')
    mariadb = dbservers.MariaDB(directory + '/mariadb').start()
    try:
        if args.part in ('all', 'decision'):
            bench_decision('sqlite', 'sqlite:///%s/decisions.sqlite'
                           % directory, directory)
            bench_decision('MariaDB', mariadb.database(), directory)
        if args.part in ('all', 'accept', 'concurrency'):
            testbed = testbed_mod.Testbed(
                clouds=3, directory=directory + '/testbed',
                quotas={'instances': [10, 10, 10]}).start()
            try:
                if args.part in ('all', 'accept'):
                    bench_accept(testbed, directory, args.rounds)
                if args.part in ('all', 'concurrency'):
                    bench_concurrency(testbed, directory, mariadb)
            finally:
                testbed.stop()
    finally:
        mariadb.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
