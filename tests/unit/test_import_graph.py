# SPDX-License-Identifier: Apache-2.0
"""Front ends import nothing of the core: the REST API is the one door.

Every module of each package below is parsed (not imported) and each of
its imports checked, those inside functions too. Add a package to
FRONT_ENDS once it talks to the API only.
"""

import ast
import pathlib

import pytest

TOP = pathlib.Path(__file__).resolve().parents[2]
#: Packages that must reach MultiOS through its REST API only.
FRONT_ENDS = ['multiosclient', 'multios_dashboard']
#: The core and the API's server side.
FORBIDDEN = ('multios', 'multios_api_ext')


def imported_modules(source):
    """Every absolute module name ``source`` imports."""
    for node in ast.walk(ast.parse(source.read_text(), str(source))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            yield node.module


def forbidden(name):
    return any(name == top or name.startswith(top + '.')
               for top in FORBIDDEN)


def test_forbidden_tells_the_core_from_the_client():
    assert forbidden('multios') and forbidden('multios.federation')
    assert forbidden('multios_api_ext.policies')
    assert not forbidden('multiosclient') and not forbidden(
        'multiosclient.v1.servers')


@pytest.mark.parametrize('package', FRONT_ENDS)
def test_front_end_imports_nothing_of_the_core(package):
    sources = sorted((TOP / package).rglob('*.py'))
    assert sources, '%s has no module' % package
    found = ['%s imports %s' % (source.relative_to(TOP), name)
             for source in sources for name in imported_modules(source)
             if forbidden(name)]
    assert not found, found
