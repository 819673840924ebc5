# SPDX-License-Identifier: Apache-2.0
"""Shared state under concurrency, on sqlite, MariaDB and PostgreSQL.

Each "process" here has a Database of its own (its own engine and
connections), as separate processes would; the clouds are in-memory fakes,
since what is tested is the locking of the database: quota decisions,
adoption and rate limits that must hold across processes.
"""

import datetime
import threading

from oslo_config import cfg
from oslo_utils import timeutils
import pytest

from multios import conf as multios_conf
from multios import context as multios_context
from multios import core as multios_core
from multios.db import api as db_api
from multios.db import launches as launches_db
from multios.db import models
from multios.db import ratelimit
from multios import exception
from multios.placement import model
from tests.unit import fake_clouds

pytestmark = pytest.mark.database
PROCESSES = 4


def make_conf(url, tmp_path):
    conf = cfg.ConfigOpts()
    multios_conf.register_opts(conf)
    conf([])
    conf.set_override('state_path', str(tmp_path))
    conf.set_override('connection', url, group='database')
    conf.set_override('mysql_sql_mode', 'TRADITIONAL', group='database')
    conf.set_override('poll_interval', 0.01, group='engine')
    return conf


@pytest.fixture
def processes(database_url, tmp_path):
    """PROCESSES cores on one database; the first one syncs the schema."""
    made = []
    for _ in range(PROCESSES):
        conf = make_conf(database_url, tmp_path)
        db = db_api.Database(conf)
        made.append((conf, db))
    made[0][1].sync()
    yield made
    for _conf, db in made:
        db.dispose()


def in_parallel(func, args):
    """Run func(*a) for each a at the same moment -> results, in order."""
    results = [None] * len(args)
    barrier = threading.Barrier(len(args))

    def run(index):
        barrier.wait()
        try:
            results[index] = func(*args[index])
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,))
               for i in range(len(args))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_concurrent_launches_never_take_more_than_the_free_quota(processes):
    clouds = fake_clouds.clouds(('a', 'active', 3), ('b', 'active', 4))
    cores = [multios_core.Core(conf, 'api', db=db,
                               federation=fake_clouds.FakeFederation(*clouds))
             for conf, db in processes]

    def accept(core, index):
        context = multios_context.RequestContext('p', 'u')
        return core.launches.accept(
            context, model.LaunchRequest('vm%d' % index, 'm1.tiny', 'cirros',
                                         count=2), carry=False)

    results = in_parallel(accept, [(cores[i % PROCESSES], i)
                                   for i in range(8)])
    accepted = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, exception.NoValidCloud)]
    assert len(accepted) + len(refused) == 8, results
    # 7 free slots: three launches of 2 fit, the rest is refused.
    assert sum(len(launch['servers']) for launch in accepted) == 6
    placed = [s['cloud'] for launch in accepted for s in launch['servers']]
    assert placed.count('a') <= 3 and placed.count('b') <= 4


def _orphan(db):
    context = multios_context.RequestContext('p', 'u')

    def record(session):
        launch = launches_db.create(session, context, {'name': 'vm'}, ['vm'],
                                    owner='dead:1:0')
        launch.heartbeat_at = timeutils.utcnow() - datetime.timedelta(
            seconds=3600)
        return launch.id
    return db.run(record)


def test_exactly_one_adopter_wins(processes):
    launch_id = _orphan(processes[0][1])
    cutoff = timeutils.utcnow() - datetime.timedelta(seconds=60)
    results = in_parallel(
        lambda db, me: db.run(launches_db.adopt, launch_id, 'dead:1:0', me,
                              cutoff),
        [(db, 'adopter-%d' % i) for i, (_conf, db) in enumerate(processes)])
    assert results.count(True) == 1, results
    owner = processes[0][1].run(
        lambda s: s.get(models.Launch, launch_id).owner)
    assert owner == 'adopter-%d' % results.index(True)


def test_the_rate_limit_holds_across_processes(processes):
    results = in_parallel(
        lambda db: ratelimit.hit(db, 'os-fping:p', 5, 3600),
        [(db,) for _conf, db in processes] * 3)
    allowed = [r for r in results if r is None]
    assert len(allowed) == 5, results
    assert all(isinstance(r, int) and 3590 <= r <= 3600
               for r in results if r is not None), results
