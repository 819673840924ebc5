# SPDX-License-Identifier: Apache-2.0
"""Clouds registered through the API, seen by every process.

A registration is checked first: the account must authenticate and find a
compute endpoint in its catalog before anything is stored. Its password is
stored encrypted (multios/credentials.py) and never returned. Every
process's federation sees a change within ``STAMP_INTERVAL`` seconds: it
reads one cheap fingerprint of the table at most that often, and the rows
only when it changed.
"""

import dataclasses
import json
import threading
import time

from multios import clouds as multios_clouds
from multios.conf import cloud_sources
from multios import credentials
from multios.db import clouds as clouds_db
from multios import exception
from multios import federation as federation_mod

#: What ``CloudSettings.source`` says of a registered cloud.
SOURCE = 'registered'
#: Seconds between two looks at the table's fingerprint.
STAMP_INTERVAL = 2.0
#: Settings an administrator may change on a registered cloud.
CHANGEABLE = ('enabled', 'draining', 'weight')


class CloudRegistry:

    def __init__(self, db, conf, clock=time.monotonic):
        self.db = db
        self.conf = conf
        self.keys = credentials.KeyRepository(conf.credential.key_repository)
        self._clock = clock
        self._lock = threading.Lock()
        self._stamp = None
        self._stamp_read = None

    def stamp(self):
        """The table's fingerprint, read at most every STAMP_INTERVAL s."""
        with self._lock:
            now = self._clock()
            if self._stamp_read is None or (
                    now - self._stamp_read >= STAMP_INTERVAL):
                self._stamp = self.db.run(clouds_db.stamp)
                self._stamp_read = now
            return self._stamp

    def read(self):
        """{name: CloudSettings} of every registered cloud."""
        return {row.name: cloud_sources.build(
            row.name, SOURCE, dict(json.loads(row.settings),
                                   password=self.keys.decrypt(row.secret)),
            'registered cloud %s:' % row.name)
            for row in self.db.run(clouds_db.all_rows)}

    def _changed(self):
        with self._lock:
            self._stamp_read = None

    def register(self, name, values, configured):
        """Check the account, then store it -> CloudSettings.

        ``configured``: {name: CloudSettings} of the clouds already known;
        a name among them is a Conflict naming where it is defined.
        """
        if name in configured:
            raise exception.Conflict(reason='cloud %s is already defined in '
                                     '%s' % (name, configured[name].source))
        settings = cloud_sources.build(name, SOURCE, values, 'cloud %s:'
                                       % name)
        check_account(settings, self.conf)
        stored = {key: value for key, value
                  in dataclasses.asdict(settings).items()
                  if key not in ('name', 'source', 'password')}
        self.keys.setup()
        secret = self.keys.encrypt(settings.password)
        self.db.run(clouds_db.add, name, stored, secret)
        self._changed()
        return settings

    def update(self, name, changes):
        """Set ``enabled``, ``draining`` or ``weight`` of a registered cloud.
        """
        unknown = set(changes) - set(CHANGEABLE)
        if unknown:
            raise exception.Invalid(reason='only %s can be changed, not %s'
                                    % (', '.join(CHANGEABLE),
                                       ', '.join(sorted(unknown))))
        self.db.run(clouds_db.update, name, changes)
        self._changed()

    def remove(self, name):
        self.db.run(clouds_db.remove, name)
        self._changed()


def check_account(settings, conf):
    """Authenticate and look for Nova in the catalog; Invalid if either
    fails, with the reason.
    """
    cloud = multios_clouds.Cloud(settings, conf)
    try:
        cloud.call(cloud.session.get_token)
        endpoint = cloud.call(
            cloud.session.get_endpoint, service_type='compute',
            interface=settings.interface, region_name=settings.region_name)
    except Exception as error:  # whatever keystoneauth raised: say why
        raise exception.Invalid(
            reason='cloud %s: the account %s cannot authenticate at %s: %s'
            % (settings.name, settings.username, settings.auth_url,
               federation_mod.describe(error)))
    if not endpoint:
        raise exception.Invalid(
            reason='cloud %s: the account %s finds no compute endpoint in '
                   'its catalog' % (settings.name, settings.username))
