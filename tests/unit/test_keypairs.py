# SPDX-License-Identifier: Apache-2.0
"""Public keys, the names of MultiOS's key pairs, imports and user data."""

import re
import unittest
from unittest import mock

from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import serialization
from novaclient import exceptions as nova_exc

from multios import context as multios_context
from multios import exception
from multios import keypairs
from multios import userdata
from tests.unit import fake_clouds

#: Nova's key pair names (2.92's parameter_types.keypair_name_special_chars).
NOVA_KEYPAIR_NAME = re.compile(r'^[_\-\@\. a-zA-Z0-9]{1,255}$')


def public_key(kind='ed25519', comment='me@laptop'):
    if kind == 'rsa':
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        key = ed25519.Ed25519PrivateKey.generate()
    text = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH,
        serialization.PublicFormat.OpenSSH).decode()
    return '%s %s' % (text, comment) if comment else text


class ParseTest(unittest.TestCase):

    def test_openssh_keys_parse_and_are_normalised(self):
        for kind in ('ed25519', 'rsa'):
            text = public_key(kind)
            kind_name, blob, comment = text.split(' ')
            parsed = keypairs.parse('  %s\t%s  %s\n' % (kind_name, blob,
                                                        comment))
            # Nova splits a key on single spaces: give it that.
            self.assertEqual(text, parsed.text)
            self.assertEqual(64, len(parsed.fingerprint))

    def test_what_is_no_openssh_public_key_is_invalid_naming_the_field(self):
        good = public_key(comment=None)
        for bad in ('', '   ', 'hello', 'ssh-rsa AAAA', good[:-4],
                    good.replace('ssh-ed25519', 'ssh-rsa'),
                    good + '\n' + good,
                    '-----BEGIN PUBLIC KEY-----', 'x' * 20000, 42, None):
            with self.assertRaises(exception.Invalid) as caught:
                keypairs.parse(bad)
            message = caught.exception.format_message()
            self.assertTrue(message.startswith('Invalid input: public_key: '),
                            message)
            self.assertEqual(1, len(message.splitlines()), message)
            self.assertFalse(keypairs.is_valid(bad))
        with self.assertRaises(exception.Invalid) as caught:
            keypairs.parse('nope', field='key_name')
        self.assertIn('key_name: ', str(caught.exception))

    def test_same_key_whatever_the_comment(self):
        text = public_key()
        parsed = keypairs.parse(text)
        self.assertTrue(parsed.same_key(text.rsplit(' ', 1)[0] + ' other'))
        self.assertFalse(parsed.same_key(public_key()))
        self.assertFalse(parsed.same_key('garbage'))


class PairNameTest(unittest.TestCase):

    def test_one_name_per_key_and_owner_that_nova_takes(self):
        key, other = keypairs.parse(public_key()), keypairs.parse(public_key())
        name = keypairs.pair_name(key, 'p1', 'u1')
        self.assertRegex(name, NOVA_KEYPAIR_NAME)
        self.assertTrue(name.startswith('multios-' + key.fingerprint[:16]))
        # The comment is no part of the key.
        again = keypairs.parse(key.text.rsplit(' ', 1)[0] + ' elsewhere')
        self.assertEqual(name, keypairs.pair_name(again, 'p1', 'u1'))
        self.assertEqual(4, len({
            name, keypairs.pair_name(other, 'p1', 'u1'),
            keypairs.pair_name(key, 'p1', 'u2'),
            keypairs.pair_name(key, 'p2', 'u1')}))


def cloud(events=None):
    return fake_clouds.FakeCloud('alpha', fake_clouds.FakeNova(
        events=[] if events is None else events))


class ImportTest(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.key = keypairs.parse(public_key())
        self.cloud = cloud()

    def test_a_missing_key_pair_is_imported_then_reused(self):
        self.assertTrue(keypairs.import_to(self.cloud, 'multios-x', self.key))
        self.assertFalse(keypairs.import_to(self.cloud, 'multios-x',
                                            self.key))
        self.assertEqual(['multios-x'], list(self.cloud.keypairs.keypairs))
        self.assertEqual(self.key.text,
                         self.cloud.keypairs.keypairs['multios-x'].public_key)

    def test_a_key_pair_holding_another_key_is_a_conflict(self):
        self.cloud.keypairs.create('multios-x', public_key())
        with self.assertRaises(exception.Conflict) as caught:
            keypairs.import_to(self.cloud, 'multios-x', self.key)
        self.assertEqual('Conflict: key pair multios-x on alpha holds another '
                         'public key', str(caught.exception))

    def test_an_import_racing_another_is_a_reuse(self):
        keypairs_api = self.cloud.keypairs
        real_get = keypairs_api.get

        def get(name):  # another process imports it between get and create
            found = real_get(name) if name in keypairs_api.keypairs else None
            if found is None:
                keypairs_api.keypairs[name] = fake_clouds.FakeKeypair(
                    name, self.key.text)
                raise nova_exc.NotFound(404)
            return found

        keypairs_api.get = get
        self.assertFalse(keypairs.import_to(self.cloud, 'multios-x',
                                            self.key))

    def test_used_names_and_delete(self):
        nova = self.cloud.fake
        nova.create('vm', 'img', 'f1', {}, 'auto', key_name='multios-x')
        nova.create('vm', 'img', 'f1', {}, 'auto', key_name=None)
        self.assertEqual({'multios-x'}, keypairs.used_names(self.cloud))
        self.cloud.keypairs.create('multios-y', self.key.text)
        keypairs.delete(self.cloud, 'multios-y')
        keypairs.delete(self.cloud, 'multios-y')  # gone already: fine
        self.assertEqual({}, self.cloud.keypairs.keypairs)


class HomePublicKeyTest(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.key = public_key()
        self.home = cloud()
        self.home.keypairs.create('mine', self.key)

    def test_the_operator_reads_it_for_the_context_s_user(self):
        context = multios_context.get_admin_context('p-op', 'u-op')
        self.assertEqual(self.key, keypairs.home_public_key(
            self.home, context, 'mine').text)
        self.assertIn(('alpha', 'get keypair', 'mine', 'u-op'),
                      self.home.fake.events)

    def test_a_caller_with_a_token_reads_it_with_that_token(self):
        context = multios_context.RequestContext('p1', 'u1',
                                                 auth_token='tok-1')
        user_nova = mock.Mock()
        user_nova.keypairs.get.return_value = fake_clouds.FakeKeypair(
            'mine', self.key)
        with mock.patch.object(keypairs, '_user_nova',
                               return_value=user_nova) as made:
            found = keypairs.home_public_key(self.home, context, 'mine')
        made.assert_called_once_with(self.home, 'tok-1', 'p1')
        user_nova.keypairs.get.assert_called_once_with('mine')
        self.assertEqual(self.key, found.text)
        self.assertNotIn('tok-1', repr(context))

    def test_an_unknown_key_pair_is_invalid_naming_key_name(self):
        context = multios_context.get_admin_context('p-op', 'u-op')
        with self.assertRaises(exception.Invalid) as caught:
            keypairs.home_public_key(self.home, context, 'theirs')
        self.assertEqual("Invalid input: key_name: no key pair 'theirs' in "
                         "the home cloud alpha", str(caught.exception))

    def test_a_failing_user_read_is_unavailable_and_not_the_cloud_s_health(
            self):
        context = multios_context.RequestContext('p1', 'u1',
                                                 auth_token='tok-1')
        user_nova = mock.Mock()
        user_nova.keypairs.get.side_effect = nova_exc.ClientException(
            500, 'boom')
        with mock.patch.object(keypairs, '_user_nova',
                               return_value=user_nova):
            self.assertRaises(exception.CloudUnavailable,
                              keypairs.home_public_key, self.home, context,
                              'mine')
        self.assertEqual(0, self.home.health.consecutive_failures)


class UserDataTest(unittest.TestCase):

    def test_base64_as_nova_decodes_it(self):
        text = userdata.encode(b'#cloud-config\n\xff')
        self.assertEqual(b'#cloud-config\n\xff', userdata.decode(text))
        self.assertTrue(userdata.is_valid(text))

    def test_nova_s_limit_on_the_base64_text(self):
        at_limit = 'A' * 65532 + 'AA=='  # 65536: one over
        self.assertEqual(65536, len(at_limit))
        with self.assertRaises(exception.Invalid) as caught:
            userdata.decode(at_limit)
        self.assertEqual('Invalid input: user_data: 65536 characters of '
                         'base64, Nova takes at most 65535 (about 49149 '
                         'bytes before encoding)', str(caught.exception))
        self.assertEqual(49149, len(userdata.decode(
            userdata.encode(b'x' * 49149))))

    def test_what_is_no_base64_is_invalid_naming_user_data(self):
        for bad in ('abc', 'é', 42):
            with self.assertRaises(exception.Invalid) as caught:
                userdata.decode(bad)
            self.assertIn('user_data: ', str(caught.exception))
