# SPDX-License-Identifier: Apache-2.0
"""``python -m tests.testbed up|down``: run testbed clouds from a shell.

``up`` starts the clouds, writes ``DIR/multios.conf`` and ``DIR/clouds.yaml``,
prints ``READY N clouds`` and stays up until SIGINT or SIGTERM; ``down``
stops the testbed running in ``DIR``.
"""

import argparse
import os
import signal
import sys
import threading
import time

from tests.testbed import testbed as testbed_mod


def _quota(text):
    """``instances=2,4,6`` -> ('instances', [2, 4, 6])."""
    try:
        resource, values = text.split('=', 1)
        return resource.strip(), [int(v) for v in values.split(',')]
    except ValueError:
        raise argparse.ArgumentTypeError(
            'quota must look like instances=2,4,6, got %r' % text)


def _parser():
    parser = argparse.ArgumentParser(prog='python -m tests.testbed',
                                     description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest='command', required=True)
    up = commands.add_parser('up', help='start clouds and stay up')
    up.add_argument('--clouds', type=int, default=3)
    up.add_argument('--dir', required=True)
    up.add_argument('--quota', type=_quota, action='append', default=[],
                    help='per-cloud quota of the operator project, e.g. '
                         'instances=2,4,6 (repeatable)')
    up.add_argument('--base-port', type=int, default=None,
                    help='Keystone of cloud i on P+2i, Nova on P+2i+1 '
                         '(default: free ports)')
    up.add_argument('--token-expiration', type=int, default=3600)
    down = commands.add_parser('down', help='stop the clouds running in DIR')
    down.add_argument('--dir', required=True)
    return parser


def up(args):
    finished = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: finished.set())
    signal.signal(signal.SIGINT, lambda *_: finished.set())
    testbed = testbed_mod.Testbed(
        clouds=args.clouds, directory=args.dir, quotas=dict(args.quota),
        base_port=args.base_port, token_expiration=args.token_expiration)
    pid_file = os.path.join(testbed.directory, testbed_mod.PID_FILE)
    try:
        testbed.start()
    except testbed_mod.TestbedError as error:
        print('testbed failed to start: %s' % error, file=sys.stderr)
        return 1
    with open(pid_file, 'w') as out:
        out.write(str(os.getpid()))
    try:
        for cloud in testbed.clouds:
            print('%s: keystone %s nova %s' % (
                cloud.name, cloud.auth_url, cloud.compute_url))
        print('started in %.1f s, %.0f MiB resident; config: %s' % (
            testbed.startup_seconds, testbed.rss_mib(), testbed.config_file))
        print('READY %d clouds' % len(testbed.clouds), flush=True)
        while not finished.wait(1):
            pass
    finally:
        testbed.stop()
        if os.path.exists(pid_file):
            os.unlink(pid_file)
    return 0


def down(args):
    pid_file = os.path.join(args.dir, testbed_mod.PID_FILE)
    try:
        with open(pid_file) as pid_text:
            pid = int(pid_text.read())
    except (OSError, ValueError):
        print('no testbed is running in %s' % args.dir, file=sys.stderr)
        return 1
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    while os.path.exists(pid_file) and time.monotonic() < deadline:
        time.sleep(0.2)
    if os.path.exists(pid_file):
        print('testbed %d did not stop within 60 s' % pid, file=sys.stderr)
        return 1
    return 0


def main(argv=None):
    args = _parser().parse_args(argv)
    return up(args) if args.command == 'up' else down(args)


if __name__ == '__main__':
    sys.exit(main())
