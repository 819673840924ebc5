# SPDX-License-Identifier: Apache-2.0
"""What a host remembers of each cloud from one process to the next.

A long-running process (multios-api, multios-engine) keeps each cloud's
circuit breaker and keystoneauth token in memory. The ``multios`` CLI is a
new process on every run: without this file each run would log in to every
cloud again and pay the full ``api_timeout`` of a hung cloud that the run
before had just found down.

``StateFile`` is one JSON file per host in ``[DEFAULT] state_path``
(``clouds-HOST.json``: a state_path shared by several hosts keeps what each
host sees of the clouds apart). It holds tokens, so it is created mode 0600
and its content is never logged. Each change is made under an exclusive
fcntl lock of ``clouds-HOST.json.lock`` and written to a new file that
replaces the old one, so that any number of processes on the host read a
whole file and lose none of each other's changes. A file that cannot be
read or written only costs the memory: the command goes on without it.
"""

import contextlib
import fcntl
import json
import os
import re
import socket
import tempfile

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


def _host_name():
    return re.sub(r'[^A-Za-z0-9_.-]', '_', socket.gethostname()) or 'localhost'


class StateFile:
    """The clouds' saved state on this host: {cloud name: entry}."""

    def __init__(self, directory, host=None):
        self.directory = directory
        self.path = os.path.join(directory,
                                 'clouds-%s.json' % (host or _host_name()))

    def read(self):
        """Every cloud's entry, {} when there is no (readable) file."""
        try:
            with open(self.path, encoding='utf-8') as f:
                data = json.load(f)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as e:
            LOG.warning('Cloud state %s is unreadable, not used: %s',
                        self.path, getattr(e, 'strerror', None) or
                        type(e).__name__)
            return {}
        clouds = data.get('clouds') if isinstance(data, dict) else None
        return clouds if isinstance(clouds, dict) else {}

    @contextlib.contextmanager
    def update(self):
        """``with state.update() as clouds:`` change the mapping in place.

        It is read under the lock and written back when the block ends
        without an exception; when the file cannot be locked or written,
        the change is lost (and logged), the block still runs.
        """
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            lock = open(os.open(self.path + '.lock',
                                os.O_RDWR | os.O_CREAT, 0o600))
        except OSError as e:
            LOG.warning('Cloud state %s cannot be changed: %s',
                        self.path, e.strerror)
            lock = None
        if lock is None:
            yield {}
            return
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            clouds = self.read()
            yield clouds
            try:
                self._replace({'clouds': clouds})
            except OSError as e:
                LOG.warning('Cloud state %s cannot be written: %s',
                            self.path, e.strerror)

    def _replace(self, data):
        """Write ``data`` to a new 0600 file, then rename it over the old."""
        fd, partial = tempfile.mkstemp(dir=self.directory,
                                       prefix='.clouds-', suffix='.partial')
        try:
            with open(fd, 'w', encoding='utf-8') as f:
                json.dump(data, f, indent=1, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.replace(partial, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            raise

    def cloud(self, name, auth_id):
        return CloudEntry(self, name, auth_id)


class CloudEntry:
    """One cloud's entry, valid only for the account it was saved for.

    ``auth_id`` is keystoneauth's ``get_cache_id()`` of the cloud's auth
    plugin (a hash of its URL, user, project and password): an entry saved
    for other settings (a new password, another Keystone) is no one's.
    """

    def __init__(self, state_file, name, auth_id):
        self.state_file = state_file
        self.name = name
        self.auth_id = auth_id

    def _own(self, clouds):
        entry = clouds.get(self.name)
        if isinstance(entry, dict) and entry.get('auth_id') == self.auth_id:
            return entry
        return None

    def load(self):
        """The saved entry (a dict), or None."""
        return self._own(self.state_file.read())

    @contextlib.contextmanager
    def update(self):
        """``with entry.update() as saved:`` change the entry under lock.

        ``saved`` is the saved entry, or a new one holding only
        ``auth_id`` when there was none (or another account's).
        """
        with self.state_file.update() as clouds:
            entry = self._own(clouds) or {'auth_id': self.auth_id}
            yield entry
            clouds[self.name] = entry
