# SPDX-License-Identifier: Apache-2.0
"""Where a benchmark runs: a new testbed, or one already running.

Every benchmark over testbed clouds takes ``--dir`` (where to start a new
one, stopped after) or ``--attach`` (a testbed started elsewhere, left
running), so that several benchmarks can share one start.
"""

import contextlib
import sys
import tempfile

from tests.testbed import testbed as testbed_mod


def add_arguments(parser):
    where = parser.add_mutually_exclusive_group()
    where.add_argument('--dir', help='directory for a new testbed')
    where.add_argument('--attach', metavar='DIR',
                       help='use the testbed already running in DIR')


@contextlib.contextmanager
def testbed_for(args, prefix, **options):
    """The testbed of ``args``: attached to, or started with ``options``
    (of ``Testbed``) for ``args.clouds`` clouds and stopped after.
    """
    if args.attach:
        yield testbed_mod.Testbed.attach(args.attach)
        return
    directory = args.dir or tempfile.mkdtemp(prefix=prefix)
    testbed = testbed_mod.Testbed(clouds=args.clouds, directory=directory,
                                  **options)
    print('starting %d clouds in %s ...' % (args.clouds, directory),
          file=sys.stderr)
    testbed.start()
    try:
        yield testbed
    finally:
        testbed.stop()
