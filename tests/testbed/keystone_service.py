# SPDX-License-Identifier: Apache-2.0
"""One testbed cloud's Keystone: sqlite, fernet tokens, bootstrapped admin.

``keystone-manage db_sync`` is most of Keystone's start-up time, and its
result is the same for every cloud, so the synced database is made once per
Keystone version (under ``~/.cache/multios-testbed``) and copied. Fernet and
credential keys are written directly (what ``fernet_setup`` and
``credential_setup`` write); ``keystone-manage bootstrap`` then creates this
cloud's admin with its password and identity URL.

Run as ``python -m tests.testbed.keystone_service --spec FILE``; it prints
``KEYSTONE READY`` when it serves. See ``serving.Listener`` for its signals.
"""

import fcntl
import os
import shutil
import subprocess
import sys

from cryptography import fernet
from keystone.server.flask import core as keystone_flask
import pbr.version

from tests.testbed import serving

KEYSTONE_CONF = """\
[DEFAULT]
debug = false
[database]
connection = sqlite:///{dir}/keystone.db
[token]
provider = fernet
expiration = {token_expiration}
[fernet_tokens]
key_repository = {dir}/fernet-keys
[fernet_receipts]
key_repository = {dir}/fernet-receipt-keys
[credential]
key_repository = {dir}/credential-keys
"""


def _keystone_manage(conf_file, *args):
    subprocess.run(
        [sys.executable, '-c', 'import sys; from keystone.cmd.manage import '
         'main; sys.exit(main())', '--config-file', conf_file] + list(args),
        check=True, stdout=subprocess.DEVNULL)


def _template_database(conf_file):
    """Path of a db_synced sqlite file for this Keystone version."""
    version = pbr.version.VersionInfo('keystone').version_string()
    cache = os.path.join(os.path.expanduser('~'), '.cache', 'multios-testbed')
    os.makedirs(cache, exist_ok=True)
    template = os.path.join(cache, 'keystone-%s.db' % version)
    with open(template + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(template):
            work = os.path.join(os.path.dirname(conf_file), 'keystone.db')
            _keystone_manage(conf_file, 'db_sync')
            shutil.copyfile(work, template + '.tmp')
            os.rename(template + '.tmp', template)
    return template


def _write_keys(repository):
    """Two fernet keys, as ``keystone-manage fernet_setup`` writes them."""
    os.makedirs(repository, mode=0o700, exist_ok=True)
    for index in ('0', '1'):
        path = os.path.join(repository, index)
        if not os.path.exists(path):
            with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600),
                      'wb') as key:
                key.write(fernet.Fernet.generate_key())


def prepare(spec):
    directory = spec['dir']
    conf_file = os.path.join(directory, 'keystone.conf')
    with open(conf_file, 'w') as conf:
        conf.write(KEYSTONE_CONF.format(
            dir=directory, token_expiration=spec['token_expiration']))
    database = os.path.join(directory, 'keystone.db')
    if not os.path.exists(database):
        shutil.copyfile(_template_database(conf_file), database)
    for repository in ('fernet-keys', 'fernet-receipt-keys',
                       'credential-keys'):
        _write_keys(os.path.join(directory, repository))
    _keystone_manage(
        conf_file, 'bootstrap',
        '--bootstrap-username', 'admin',
        '--bootstrap-password=' + spec['admin_password'],
        '--bootstrap-project-name', 'admin',
        '--bootstrap-role-name', 'admin',
        '--bootstrap-service-name', 'keystone',
        '--bootstrap-region-id', spec['region'],
        '--bootstrap-public-url', spec['url'])
    return conf_file


def main(argv=None):
    spec = serving.read_spec(__doc__.splitlines()[0], argv)
    conf_file = prepare(spec)
    sys.argv[1:] = []  # Keystone's server parses sys.argv as its own
    app = keystone_flask.initialize_application(
        name='public', config_files=[conf_file])
    serving.serve(app, spec, 'KEYSTONE READY')


if __name__ == '__main__':
    main()
