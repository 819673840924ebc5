# SPDX-License-Identifier: Apache-2.0
"""Encrypt the clouds' secrets with a Fernet key repository.

As Keystone's credential provider does (``keystone-manage credential_setup``
and ``credential_rotate``): a directory of key files named 0, 1, 2...; the
highest number is the primary key, which encrypts; every key decrypts, so a
rotation never makes a stored secret unreadable. ``cryptography``'s
MultiFernet does the work.
"""

import os

from cryptography import fernet
from oslo_log import log as logging

from multios import exception

LOG = logging.getLogger(__name__)


class KeyRepository:

    def __init__(self, path):
        self.path = path

    def _key_files(self):
        try:
            names = os.listdir(self.path)
        except FileNotFoundError:
            return []
        return sorted((int(name) for name in names if name.isdigit()),
                      reverse=True)

    def _fernet(self):
        numbers = self._key_files()
        if not numbers:
            raise exception.ConfigError(
                reason='no credential key in %s: run "multios-manage '
                       'credential setup"' % self.path)
        keys = []
        for number in numbers:
            with open(os.path.join(self.path, str(number)), 'rb') as key:
                keys.append(fernet.Fernet(key.read().strip()))
        return fernet.MultiFernet(keys)

    def setup(self):
        """Create the repository and its first key, if it has none -> bool."""
        if self._key_files():
            return False
        self._write_key(0)
        LOG.warning('Created the credential key repository %s: every host '
                    'of this MultiOS needs a copy of it', self.path)
        return True

    def rotate(self):
        """Add a new primary key -> its number."""
        numbers = self._key_files()
        number = numbers[0] + 1 if numbers else 0
        self._write_key(number)
        return number

    def _write_key(self, number):
        os.makedirs(self.path, mode=0o700, exist_ok=True)
        path = os.path.join(self.path, str(number))
        partial = path + '.partial'
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                             0o600)
        with os.fdopen(descriptor, 'wb') as key:
            key.write(fernet.Fernet.generate_key())
        os.replace(partial, path)

    def encrypt(self, secret):
        return self._fernet().encrypt(secret.encode('utf-8')).decode('ascii')

    def decrypt(self, token):
        """The secret of ``token``; ConfigError when no key can read it."""
        try:
            return self._fernet().decrypt(token.encode('ascii')).decode(
                'utf-8')
        except fernet.InvalidToken:
            raise exception.ConfigError(
                reason='a registered cloud\'s secret cannot be decrypted '
                       'with the keys in %s (another host\'s keys?)'
                       % self.path)
