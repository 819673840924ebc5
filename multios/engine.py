# SPDX-License-Identifier: Apache-2.0
"""multios-engine's work: adopt orphaned launches, clean up leaks.

The engine is a runner that adopts (every heartbeat it claims the launches
whose owner stopped beating) plus the leak cleanup every ``[engine]
cleanup_interval``, for which it holds the cleanup lease. On stop it
finishes the step in hand and hands back what it carries, for another
process to adopt at once.
"""

import time

from oslo_log import log as logging

from multios import exception

LOG = logging.getLogger(__name__)

#: Seconds between two tries while the database cannot be reached.
RETRY_INTERVAL = 5.0


class Engine:

    def __init__(self, core):
        self.core = core

    def _wait_for_database(self, stopping):
        """Check the schema; wait for an unreachable database to come back.

        SchemaOutdated is raised: no waiting cures it.
        """
        while not stopping.is_set():
            try:
                self.core.db.ensure_schema()
                return True
            except exception.DatabaseUnavailable as error:
                LOG.warning('%s; retrying in %ds', error, RETRY_INTERVAL)
                stopping.wait(RETRY_INTERVAL)
        return False

    def run(self, stopping):
        """Work until ``stopping`` (a threading.Event) is set."""
        if not self._wait_for_database(stopping):
            return
        conf = self.core.conf.engine
        runner = self.core.runner.start(adopt=True)
        LOG.info('multios-engine %s started: adopting launches idle for '
                 '%gs, cleaning up leaks every %gs', runner.id,
                 conf.adopt_after, conf.cleanup_interval)
        next_cleanup = time.monotonic()
        try:
            while not stopping.is_set():
                if time.monotonic() >= next_cleanup:
                    self.cleanup_pass()
                    next_cleanup = time.monotonic() + conf.cleanup_interval
                stopping.wait(min(conf.heartbeat_interval,
                                  max(0.0, next_cleanup - time.monotonic())))
        finally:
            LOG.info('multios-engine %s stopping', runner.id)
            runner.stop()

    def cleanup_pass(self):
        try:
            report = self.core.cleaner.run()
        except exception.MultiOSError as error:
            LOG.warning('Leak cleanup skipped: %s', error)
            return None
        if report.holder:
            LOG.debug('Leak cleanup is held by %s', report.holder)
        elif report.deleted or report.sighted:
            LOG.info('Leak cleanup: %(deleted)d deleted, %(sighted)d newly '
                     'seen, %(waiting)d waiting',
                     {'deleted': len(report.deleted),
                      'sighted': len(report.sighted),
                      'waiting': len(report.waiting)})
        return report
