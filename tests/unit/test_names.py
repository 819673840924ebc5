# SPDX-License-Identifier: Apache-2.0
"""Server names: the rule is Nova's own, checked against Nova itself."""

import json
import os
import subprocess
import sys

from multios import names

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')

# Run apart: importing Nova registers its ~150 option groups on the global
# oslo.config object of whatever process imports it.
AGAINST_NOVA = '''
import json, re, sys
from nova.api.validation import parameter_types
from multios import names
nova = re.compile(parameter_types.valid_name_regex.regex)
differ = []
for code in list(range(0x10000)) + [0x1F600, 0x10FFFF]:
    char = chr(code)
    for name in (char, 'a' + char + 'b', 'a' + char):
        if (nova.search(name) is not None) != names.is_valid(name):
            differ.append(name)
json.dump(differ, sys.stdout)
'''


def test_every_character_is_judged_as_nova_judges_it():
    """Alone, inside and at the end of a name, every BMP code point."""
    done = subprocess.run([sys.executable, '-c', AGAINST_NOVA], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    # Nova's regex ends in "$", which also matches before a final newline.
    assert json.loads(done.stdout) == ['a\n']


def test_trailing_newline_and_length():
    assert not names.is_valid('vm\n')
    assert names.is_valid('x' * 255)
    assert not names.is_valid('x' * 256)
    assert not names.is_valid('')
    assert not names.is_valid(3)
