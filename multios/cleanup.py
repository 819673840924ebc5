# SPDX-License-Identifier: Apache-2.0
"""The two-pass leak cleanup: delete what failed launches left, only that.

Modelled on nodepool's leak cleanup. The candidates come from MultiOS's own
records only (multios/db/cleanup.py ``records``): a server that carries the
``multios:request_id`` of a launch that ended (within ``[engine]
leak_ttl``), on a cloud where that launch tried the server's name, and that
is not the server of an instance that ended ACTIVE. A server whose launch
succeeded is the user's, whatever its status later: never a candidate.

A candidate is deleted by a pass that sees it at least ``[engine]
cleanup_min_age`` after the first pass that did. One process at a time
holds the cleanup lease. Each pass also deletes the key pairs MultiOS
imported that nothing uses any more (multios/launches/keypairs.py).
"""

import dataclasses
import datetime

from novaclient import exceptions as nova_exc
from oslo_log import log as logging
from oslo_utils import timeutils

from multios import context as multios_context
from multios.db import cleanup as cleanup_db
from multios import federation as federation_mod

LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class Report:
    """What one pass did. ``holder``: another process holds the lease."""

    deleted: list = dataclasses.field(default_factory=list)
    sighted: list = dataclasses.field(default_factory=list)
    waiting: list = dataclasses.field(default_factory=list)
    errors: list = dataclasses.field(default_factory=list)
    holder: str = None
    #: (cloud, name) of the key pairs deleted.
    key_pairs: list = dataclasses.field(default_factory=list)

    def to_dict(self):
        return {'deleted': [s.to_dict() for s in self.deleted],
                'sighted': [s.to_dict() for s in self.sighted],
                'waiting': [s.to_dict() for s in self.waiting],
                'errors': [e.to_dict() for e in self.errors],
                'lease_holder': self.holder,
                'key_pairs': [{'cloud': cloud, 'name': name}
                              for cloud, name in self.key_pairs]}


class LeakCleaner:

    def __init__(self, db, federation, conf, holder, keypairs=None):
        """``keypairs``: the KeyPairBook whose unused key pairs go too."""
        self.db = db
        self.federation = federation
        self.conf = conf
        self.holder = holder
        self.keypairs = keypairs

    @property
    def lease_seconds(self):
        """Long enough to cover the holder's next pass, with room."""
        return 2 * self.conf.engine.cleanup_interval + 60

    def run(self, keep_lease=True):
        """One pass -> Report; nothing is done while another holds the lease.

        ``keep_lease``: the holder (multios-engine) keeps the lease until
        its next pass; a one-shot ``multios cleanup`` gives it back.
        """
        if not self.db.run(cleanup_db.take_lease, self.holder,
                           self.lease_seconds):
            return Report(holder=self.db.run(cleanup_db.lease_holder))
        try:
            return self._pass()
        finally:
            if not keep_lease:
                self.db.run(cleanup_db.release_lease, self.holder)

    def _candidates(self):
        """({(cloud, server id): Server}, clouds that answered not)."""
        since = timeutils.utcnow() - datetime.timedelta(
            seconds=self.conf.engine.leak_ttl)
        records = self.db.run(cleanup_db.records, since)
        listing = self.federation.list_servers(
            multios_context.get_admin_context(), all_tenants=True)
        candidates = {}
        for server in listing.items:
            tried, active = records.get(server.request_id, ((), ()))
            if (server.cloud, server.name) in tried and (
                    server.id not in active):
                candidates[(server.cloud, server.id)] = server
        return candidates, listing.errors

    def _pass(self):
        candidates, errors = self._candidates()
        unread = {error.cloud for error in errors}
        report = Report(errors=errors)
        min_age = self.conf.engine.cleanup_min_age
        to_delete = []

        def sightings(session):
            now = timeutils.utcnow()
            seen = cleanup_db.sightings(session)
            for key, server in candidates.items():
                sighting = seen.get(key)
                if sighting is None:
                    cleanup_db.sight(session, server.cloud, server.id,
                                     server.request_id)
                    report.sighted.append(server)
                elif (now - sighting.first_seen_at).total_seconds() >= \
                        min_age:
                    to_delete.append((server, sighting.id))
                else:
                    report.waiting.append(server)
            # Gone, or no longer a candidate (its records aged out).
            cleanup_db.forget(session, [
                sighting.id for key, sighting in seen.items()
                if key not in candidates and key[0] not in unread])

        self.db.run(sightings)
        for server, sighting_id in to_delete:
            if self._delete(server):
                report.deleted.append(server)
                self.db.run(cleanup_db.forget, [sighting_id])
        if self.keypairs is not None:
            report.key_pairs = self.keypairs.sweep()
        for server in report.sighted:
            LOG.info('Possible leak %(id)s (%(status)s) on %(cloud)s of '
                     'launch %(launch)s: deleted by a pass in %(age)ds or '
                     'later', {'id': server.id, 'status': server.status,
                               'cloud': server.cloud,
                               'launch': server.request_id, 'age': min_age})
        return report

    def _delete(self, server):
        try:
            self.federation.cloud(server.cloud).delete_server(server.id)
        except nova_exc.NotFound:
            pass
        except Exception as e:
            LOG.warning('Cannot delete leaked server %(id)s on %(cloud)s: '
                        '%(reason)s', {'id': server.id, 'cloud': server.cloud,
                                       'reason': federation_mod.describe(e)})
            return False
        LOG.info('Deleted leaked server %(id)s (%(status)s) on %(cloud)s of '
                 'launch %(launch)s', {'id': server.id,
                                       'status': server.status,
                                       'cloud': server.cloud,
                                       'launch': server.request_id})
        return True
