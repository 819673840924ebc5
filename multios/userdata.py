# SPDX-License-Identifier: Apache-2.0
"""User data (cloud-init) as Nova takes it: base64, at most 65535 of it.

Nova checks the base64 text of ``user_data`` (format ``base64``,
``maxLength`` 65535 in nova/api/openstack/compute/schemas/servers.py) and
decodes it as oslo.serialization does; MultiOS checks it the same way
before any cloud is asked, so that what it accepts every cloud takes.
"""

from oslo_serialization import base64

from multios import exception

#: Nova's limit on the base64 text of user_data.
MAX_LENGTH = 65535


def decode(text):
    """The bytes of base64 ``text``; Invalid naming user_data otherwise."""
    if not isinstance(text, str):
        raise exception.Invalid(reason='user_data: base64 text is expected')
    if len(text) > MAX_LENGTH:
        raise exception.Invalid(
            reason='user_data: %d characters of base64, Nova takes at most '
                   '%d (about %d bytes before encoding)' % (
                       len(text), MAX_LENGTH, MAX_LENGTH // 4 * 3))
    try:
        return base64.decode_as_bytes(text)
    except (TypeError, ValueError) as error:
        raise exception.Invalid(reason='user_data: not base64: %s' % error)


def encode(data):
    """Base64 text of ``data`` (bytes), as ``decode`` takes it."""
    return base64.encode_as_text(data)


def is_valid(text):
    """Is ``text`` base64 as Nova decodes it (the API's format check)?"""
    try:
        base64.decode_as_bytes(text)
    except (TypeError, ValueError):
        return False
    return True
