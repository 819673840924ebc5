# SPDX-License-Identifier: Apache-2.0
"""[credential] options: the keys that encrypt the clouds' secrets."""

from oslo_config import cfg

from multios.conf import groups

credential_group = cfg.OptGroup(
    'credential', title='Credential encryption options',
    help='The passwords of clouds registered through the API are stored in '
         'the database encrypted with these keys, as Keystone\'s credential '
         'provider does. Every host running multios-api or multios-engine '
         'needs the same key repository.')

credential_opts = [
    cfg.StrOpt('key_repository',
               default='$state_path/credential-keys',
               help='Directory of the Fernet keys (files 0, 1, ...; the '
                    'highest is the primary, used to encrypt; all of them '
                    'decrypt). "multios-manage credential setup" creates it '
                    'and "multios-manage credential rotate" adds a key; '
                    'the first registration creates it when it is missing.'),
]


def register_opts(conf):
    groups.register(conf, credential_group, credential_opts)


def list_opts():
    return {credential_group: credential_opts}
