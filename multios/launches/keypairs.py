# SPDX-License-Identifier: Apache-2.0
"""The books of the key pairs launches import: before a create, at the end.

Before an instance's create, its attempt is recorded as booting with the
MultiOS key pair of its launch's public key on that cloud (``use``, which
waits while another process deletes that key pair), then the key pair is
imported there, or found there already. When a launch ends, each key pair
its attempts used is deleted unless something may still use it: an
unsettled instance with an attempt there (its launch deletes it when it
ends), or a server Nova lists with it. So a failed attempt never leaves a
key pair that no server uses, and an adopter finds the records it needs
(multios/db/keypairs.py). What a launch could not delete (its cloud did
not answer) the leak cleanup's passes delete later (``sweep``).
"""

import datetime

from oslo_log import log as logging
from oslo_utils import timeutils

from multios.db import keypairs as keypairs_db
from multios import exception
from multios import federation as federation_mod
from multios import keypairs

LOG = logging.getLogger(__name__)


class KeyPairBook:
    """``write(func, *args)``: a transaction, retried while the database
    is away; ``change(step, func)``: a transition of an instance, as its
    launch's owner; ``pause()``: wait a poll interval (or stop).
    """

    def __init__(self, federation, conf, holder, write, change, pause):
        self.federation = federation
        self.conf = conf
        self.holder = holder
        self._write = write
        self._change = change
        self._pause = pause

    def _stale_before(self):
        """A deletion older than this was left by a process that died."""
        return timeutils.utcnow() - datetime.timedelta(
            seconds=self.conf.engine.adopt_after)

    def ensure(self, step, cloud, public_key):
        """Record the use, then import the key pair -> its name.

        None when the instance moved on meanwhile. Raises what the cloud
        raised (the attempt fails as a create would).
        """
        name = keypairs.pair_name(public_key, step.project_id, step.user_id)
        while True:
            used = self._change(step, lambda session, instance, attempt:
                                keypairs_db.use(session, attempt, name,
                                                self._stale_before()))
            if used is None:
                return None
            if used:
                break
            self._pause()  # another process is deleting it there
        if keypairs.import_to(cloud, name, public_key):
            LOG.info('Imported key pair %(name)s into %(cloud)s for launch '
                     '%(launch)s', {'name': name, 'cloud': cloud.name,
                                    'launch': step.launch_id})
        return name

    def release(self, launch_id):
        """Delete the key pairs the ended launch used that nothing uses."""
        return self._delete_unused(self._write(keypairs_db.used_by,
                                               launch_id))

    def sweep(self):
        """Delete every recorded key pair that nothing uses any more.

        For those a launch could not delete when it ended (its cloud did
        not answer), and those whose servers were deleted since.
        """
        return self._delete_unused(self._write(keypairs_db.recorded))

    def _delete_unused(self, pairs):
        """Delete what nothing uses of ``pairs`` ((cloud, name)) -> those.

        Per cloud: the key pairs no unsettled instance uses are taken for
        deletion, then one listing of the cloud's servers says which of
        them a server uses; the others are deleted.
        """
        by_cloud = {}
        for cloud_name, name in pairs:
            by_cloud.setdefault(cloud_name, []).append(name)
        deleted = []
        for cloud_name, names in by_cloud.items():
            try:
                cloud = self.federation.cloud(cloud_name)
            except exception.CloudNotFound:
                continue  # no longer configured: its books wait for it
            if not cloud.enabled:
                continue
            taken = [name for name in names if self._write(
                keypairs_db.start_delete, cloud_name, name, self.holder,
                self._stale_before())]
            if not taken:
                continue
            gone = []
            try:
                used = keypairs.used_names(cloud)
                for name in taken:
                    if name not in used:
                        keypairs.delete(cloud, name)
                        gone.append(name)
            except federation_mod.CLOUD_ERRORS as error:
                LOG.warning('Key pairs %(names)s on %(cloud)s kept, not '
                            'known to be unused: %(why)s',
                            {'names': ', '.join(sorted(set(taken) -
                                                       set(gone))),
                             'cloud': cloud_name,
                             'why': federation_mod.describe(error)})
            for name in taken:
                self._write(keypairs_db.end_delete, cloud_name, name,
                            self.holder, name in gone)
            if gone:
                LOG.info('Deleted key pairs %(names)s on %(cloud)s: no '
                         'server uses them', {'names': ', '.join(gone),
                                              'cloud': cloud_name})
            deleted.extend((cloud_name, name) for name in gone)
        return deleted
