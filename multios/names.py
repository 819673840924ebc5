# SPDX-License-Identifier: Apache-2.0
"""Server names as Nova accepts them, checked before any cloud is asked.

The rule is Nova's (``name`` of nova/api/validation/parameter_types.py):
1 to 255 printable characters of the Basic Multilingual Plane that neither
start nor end with whitespace. Printable is what Nova's ``_is_printable``
says: no control, format, surrogate, private-use or unassigned code point
(Unicode category C), and of the separators only spaces (Zs). Nova matches
that with a regex ending in ``$``, which lets one trailing newline through;
a newline is no printable character, so it is refused here.
"""

import unicodedata

MAX_LENGTH = 255
RULE = ('1 to %d printable characters, not starting or ending with '
        'whitespace' % MAX_LENGTH)


def _printable(char):
    category = unicodedata.category(char)
    return (char < '\uffff' and not category.startswith('C') and
            (not category.startswith('Z') or category == 'Zs'))


def _edge(char):
    return _printable(char) and unicodedata.category(char) != 'Zs'


def is_valid(name):
    """Would Nova take ``name`` as a server name?"""
    return (isinstance(name, str) and 0 < len(name) <= MAX_LENGTH and
            _edge(name[0]) and _edge(name[-1]) and
            all(_printable(char) for char in name))
