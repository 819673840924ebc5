# SPDX-License-Identifier: Apache-2.0
"""Public keys that go with an instance to whichever cloud it lands on.

A launch names a public key: the OpenSSH text itself, or a key pair of the
user's in the home cloud (read there with the user's own token, or with the
operator account for the CLI). MultiOS never holds a private key. On the
cloud placement picks, the public key is imported into MultiOS's account
under a name MultiOS owns, one per key and owner
(``multios-<fingerprint prefix>-<owner hash>``), and reused when it is
already there; multios/launches/keypairs.py keeps the books.
"""

import base64
import binascii
import dataclasses
import hashlib

from cryptography import exceptions as crypto_exc
from cryptography.hazmat.primitives import serialization
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
from novaclient import client as nova_client
from novaclient import exceptions as nova_exc

from multios import clouds as multios_clouds
from multios import exception
from multios import federation as federation_mod

NAME_PREFIX = 'multios-'
#: Longest public key taken: a 16384-bit RSA key is some 2.8 KB.
MAX_LENGTH = 16384


@dataclasses.dataclass(frozen=True)
class PublicKey:
    """An OpenSSH public key: ``text`` is "type base64 [comment]"."""

    text: str
    blob: bytes

    @property
    def fingerprint(self):
        """SHA-256 of the key, hex (``ssh-keygen -l`` shows it in base64)."""
        return hashlib.sha256(self.blob).hexdigest()

    def same_key(self, text):
        """Is ``text`` (as a cloud stores it) this key, whatever comment?"""
        try:
            return parse(text).blob == self.blob
        except exception.Invalid:
            return False


def parse(text, field='public_key'):
    """The PublicKey of ``text``; Invalid naming ``field`` if it is none.

    One line, as ``cryptography`` reads OpenSSH keys; the parts are joined
    by single spaces, as Nova splits them.
    """
    if not isinstance(text, str) or not text.strip():
        raise exception.Invalid(reason='%s: no public key given' % field)
    if len(text) > MAX_LENGTH:
        raise exception.Invalid(reason='%s: longer than %d characters'
                                % (field, MAX_LENGTH))
    if '\n' in text.strip():
        raise exception.Invalid(reason='%s: one OpenSSH public key on one '
                                       'line is expected' % field)
    normal = ' '.join(text.split())
    try:
        serialization.load_ssh_public_key(normal.encode('utf-8'))
        blob = base64.b64decode(normal.split(' ')[1], validate=True)
    except (ValueError, TypeError, IndexError, binascii.Error,
            crypto_exc.UnsupportedAlgorithm) as error:
        raise exception.Invalid(
            reason='%s: not an OpenSSH public key ("ssh-ed25519 AAAA... '
                   'comment"): %s' % (field, error))
    return PublicKey(normal, blob)


def is_valid(text):
    """Would ``parse`` take ``text``? (the API's format check)."""
    try:
        parse(text)
    except exception.Invalid:
        return False
    return True


def pair_name(public_key, project_id, user_id):
    """The name MultiOS gives the key pair of one key and one owner.

    Owners who share a public key get key pairs of their own, so that
    whatever one of them deletes never touches the other's.
    """
    owner = hashlib.sha256(('%s\n%s' % (project_id, user_id)).encode(
        'utf-8')).hexdigest()
    return '%s%s-%s' % (NAME_PREFIX, public_key.fingerprint[:16], owner[:8])


def _user_nova(cloud, token, project_id):
    """A novaclient of ``cloud`` acting with the user's ``token``."""
    s = cloud.settings
    auth = v3.Token(auth_url=s.auth_url, token=token, project_id=project_id)
    verify = (s.cacert or True) if s.verify else False
    session = ks_session.Session(auth=auth, verify=verify,
                                 timeout=s.api_timeout)
    return nova_client.Client(multios_clouds.NOVA_API_VERSION,
                              session=session, region_name=s.region_name,
                              endpoint_type=s.interface)


def home_public_key(home, context, key_name):
    """The public key of the caller's key pair ``key_name`` in ``home``.

    With the caller's token when the context has one (the API), so that
    the home Nova says which key pairs are the caller's; else with the
    operator account (the CLI), asking for the context's user. The user's
    own mistakes never count against the home cloud's health.
    """
    try:
        if context.auth_token:
            keypair = _user_nova(home, context.auth_token,
                                 context.project_id).keypairs.get(key_name)
        else:
            keypair = home.call(home.nova.keypairs.get, key_name,
                                user_id=context.user_id)
    except nova_exc.NotFound:
        raise exception.Invalid(
            reason='key_name: no key pair %s in the home cloud %s' % (
                exception.short_repr(key_name), home.name))
    except (nova_exc.ClientException, ks_exc.ClientException) as error:
        raise exception.CloudUnavailable(
            name=home.name, reason='cannot read key pair %s: %s' % (
                key_name, federation_mod.describe(error)))
    return parse(keypair.public_key, field='key_name')


def import_to(cloud, name, public_key):
    """Make key pair ``name`` of ``public_key`` exist on ``cloud``.

    -> True if it was imported now, False if it was there already. A key
    pair of that name holding another key is a Conflict (nothing is
    changed). A concurrent import of the same name is a reuse.
    """
    try:
        existing = cloud.call(cloud.nova.keypairs.get, name)
    except nova_exc.NotFound:
        try:
            cloud.call(cloud.nova.keypairs.create, name,
                       public_key=public_key.text)
            return True
        except nova_exc.Conflict:
            existing = cloud.call(cloud.nova.keypairs.get, name)
    if not public_key.same_key(existing.public_key):
        raise exception.Conflict(reason='key pair %s on %s holds another '
                                        'public key' % (name, cloud.name))
    return False


def used_names(cloud):
    """Key pair names the servers of MultiOS's account on ``cloud`` use."""
    return {getattr(server, 'key_name', None)
            for server in cloud.list_servers()} - {None}


def delete(cloud, name):
    """Delete key pair ``name`` on ``cloud``; gone already is fine."""
    try:
        cloud.call(cloud.nova.keypairs.delete, name)
    except nova_exc.NotFound:
        pass
