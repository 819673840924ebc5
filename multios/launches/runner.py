# SPDX-License-Identifier: Apache-2.0
"""Carry launches to their end in this process, and adopt orphaned ones.

A ``Runner`` is one MultiOS process's share of the work: every launch it
owns has a driver thread, whose instances run on a bounded worker pool
(``[engine] workers``); a heartbeat thread refreshes the process's row in
``services`` and the heartbeat of each launch it drives, and, when the
runner adopts, claims the launches whose owner stopped beating for
``[engine] adopt_after`` (one compare-and-swap: one adopter wins).
"""

from concurrent import futures
import datetime
import os
import socket
import threading

from oslo_log import log as logging
from oslo_utils import timeutils
from oslo_utils import uuidutils

from multios.db import launches as launches_db
from multios.db import services as services_db
from multios import exception
from multios import launcher as launcher_mod
from multios.launches import states

LOG = logging.getLogger(__name__)


def process_id():
    """``host:pid:random``: unique per process, readable in the database."""
    return '%s:%d:%s' % (socket.gethostname()[:40], os.getpid(),
                         uuidutils.generate_uuid(dashed=False)[:8])


class Runner:

    def __init__(self, db, federation, placement, conf, kind):
        self.db = db
        self.conf = conf
        self.kind = kind
        self.id = process_id()
        self.adopting = False
        self._started_at = timeutils.utcnow()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._drivers = {}
        self._beating = None
        self._pool = futures.ThreadPoolExecutor(
            conf.engine.workers, thread_name_prefix='multios-launch')
        self.launcher = launcher_mod.InstanceLauncher(
            db, federation, placement, conf, self.id, self._stopping)

    # Life cycle

    def start(self, adopt=False):
        """Start heartbeats (and adoption); calling it again adds adoption."""
        with self._lock:
            self.adopting = self.adopting or adopt
            if self._beating is None:
                self._beating = threading.Thread(
                    target=self._beat_loop, name='multios-heartbeat',
                    daemon=True)
                self._beating.start()
        return self

    def stop(self, timeout=30.0):
        """Stop at the next step, then hand back what is not finished.

        Another process adopts the launches handed back at once.
        """
        self._stopping.set()
        for driver in self._running_drivers():
            driver.join(timeout)
        try:
            handed = self.db.run(launches_db.hand_back, self.id)
            self.db.run(services_db.remove, self.id)
        except exception.MultiOSError as error:
            LOG.warning('Could not hand launches back: %s', error)
        else:
            if handed:
                LOG.info('Handed back %d unfinished launch(es)', handed)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _running_drivers(self):
        with self._lock:
            return list(self._drivers.values())

    @property
    def stopping(self):
        return self._stopping.is_set()

    # Heartbeats and adoption

    def _beat_loop(self):
        interval = self.conf.engine.heartbeat_interval
        while True:
            try:
                self.beat()
                if self.adopting:
                    self.adopt_orphans()
            except exception.MultiOSError as error:
                LOG.warning('Heartbeat failed: %s', error)
            except Exception:
                LOG.exception('Heartbeat failed')
            if self._stopping.wait(interval):
                return

    def beat(self):
        """This process and every launch it drives are alive."""
        with self._lock:
            driven = list(self._drivers)

        def beat(session):
            services_db.beat(session, self.id, self.kind,
                             socket.gethostname(), os.getpid(),
                             self._started_at)
            if driven:
                launches_db.heartbeat(session, self.id, driven)
        self.db.run(beat)

    def adopt_orphans(self):
        """Claim launches whose owner died; return the ids adopted."""
        cutoff = timeutils.utcnow() - datetime.timedelta(
            seconds=self.conf.engine.adopt_after)
        adopted = []
        for launch_id, old_owner in self.db.run(launches_db.orphans, cutoff):
            if self.stopping:
                break
            with self._lock:
                if launch_id in self._drivers:
                    continue
            if self.db.run(launches_db.adopt, launch_id, old_owner, self.id,
                           cutoff):
                LOG.info('Adopted launch %(id)s from %(owner)s',
                         {'id': launch_id, 'owner': old_owner or 'nobody'})
                self.submit(launch_id, adopted=True)
                adopted.append(launch_id)
        return adopted

    # Launches

    def submit(self, launch_id, adopted=False):
        """Drive a launch this process owns, in the background."""
        self.start()
        with self._lock:
            if launch_id in self._drivers or self.stopping:
                return
            driver = threading.Thread(
                target=self._drive, args=(launch_id, adopted),
                name='multios-launch-%s' % launch_id[-8:], daemon=True)
            self._drivers[launch_id] = driver
        driver.start()

    def wait(self, launch_id, timeout=None):
        """Wait for this process's driver of a launch to end."""
        with self._lock:
            driver = self._drivers.get(launch_id)
        if driver is not None:
            driver.join(timeout)

    def _drive(self, launch_id, adopted):
        try:
            while not self.stopping:
                unsettled = self.db.run(self._unsettled, launch_id)
                if not unsettled:
                    # Before it is settled: an adopter of a launch whose
                    # owner died here releases them again.
                    self.launcher.keypairs.release(launch_id)
                    if self.db.run(self._settle, launch_id):
                        LOG.info('Launch %s ended', launch_id)
                        return
                    continue
                jobs = [self._pool.submit(self.launcher.run, instance_id,
                                          adopted)
                        for instance_id in unsettled]
                for job in jobs:
                    job.result()
                adopted = False
        except launches_db.LostOwnership:
            LOG.info('Launch %s was taken over by another process',
                     launch_id)
        except (launcher_mod.Stopped, futures.CancelledError):
            pass
        except Exception:
            # Its heartbeat stops with this driver: another process (or
            # this one, after adopt_after) adopts it and tries again.
            LOG.exception('Launch %s: unexpected error; left for adoption',
                          launch_id)
        finally:
            with self._lock:
                self._drivers.pop(launch_id, None)

    @staticmethod
    def _unsettled(session, launch_id):
        return [i.id for i in launches_db.get(session, launch_id).instances
                if i.state not in states.INSTANCE_SETTLED]

    def _settle(self, session, launch_id):
        """End the launch, or first delete what a cancellation must."""
        launches_db.claim(session, launch_id, self.id)
        launch = launches_db.get(session, launch_id)
        if launch.cancel_requested:
            active = [i for i in launch.instances
                      if i.state == states.ACTIVE]
            for instance in active:
                instance.state = states.DELETING
                instance.updated_at = timeutils.utcnow()
            if active:
                return False
        return launches_db.settle(session, launch)
