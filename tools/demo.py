# SPDX-License-Identifier: Apache-2.0
"""``make demo``: MultiOS's dashboard and API over real clouds, on this
machine.

When ``MULTIOS_CONFIG_FILE`` names a configuration with clouds, the demo uses
those clouds; otherwise it starts three local testbed clouds (real Keystone
and Nova, see ``tests/testbed``). It then shows the federation as the
``multios`` CLI sees it, serves the REST API (``multios-api``, registered in
the home Keystone's catalog as service type ``multios``) and then the Horizon
dashboard, prints where they are, how to log in and how to use ``openstack
federation ...`` as the demo user, and runs until Ctrl-C.
"""

import argparse
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from multios.conf import files  # noqa: E402
from tests.testbed import Testbed  # noqa: E402

API_PORT = 8790
DASHBOARD_PORT = 8080
#: Horizon compiles its SCSS on the first page: slow on a small machine.
SERVICE_START_TIMEOUT = 900


def _bin(name):
    return os.path.join(os.path.dirname(sys.executable), name)


def _wait_port(port, what, process, timeout=SERVICE_START_TIMEOUT):
    deadline = time.monotonic() + timeout
    shown = time.monotonic()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit('%s exited (%s); see its log' % (
                what, process.returncode))
        with socket.socket() as sock:
            sock.settimeout(1)
            if sock.connect_ex(('127.0.0.1', port)) == 0:
                return
        if time.monotonic() - shown > 15:
            print('  ... still waiting for %s' % what, flush=True)
            shown = time.monotonic()
        time.sleep(0.5)
    raise SystemExit('%s did not start within %d s' % (what, timeout))


def _confine_fping(directory, config_file):
    """Make "Check health" ping only inside a namespace of the demo's own.

    The testbed's addresses exist nowhere, and pings to them must never leave
    this machine: fping runs in an empty network namespace (loopback only),
    where every testbed address is unreachable. Returns a clean-up function.
    """
    namespace = 'multios-demo-%d' % os.getpid()
    fping = shutil.which('fping', path='/usr/sbin:/usr/bin')
    if os.geteuid() != 0 or not shutil.which('ip') or not fping:
        wrapper = os.path.join(directory, 'no-fping')
        print('  (health checks disabled: they need root, iproute2 and '
              'fping to run inside a network namespace)')
        cleanup = (lambda: None)
    else:
        subprocess.run(['ip', 'netns', 'add', namespace], check=True)
        subprocess.run(['ip', '-n', namespace, 'link', 'set', 'lo', 'up'],
                       check=True)
        wrapper = os.path.join(directory, 'fping-in-namespace')
        with open(wrapper, 'w') as out:
            out.write('#!/bin/sh\nexec ip netns exec %s %s "$@"\n'
                      % (namespace, fping))
        os.chmod(wrapper, 0o755)

        def cleanup():
            subprocess.run(['ip', 'netns', 'delete', namespace], check=False)
    with open(config_file, 'a') as conf:
        conf.write('\n[fping]\nfping_path = %s\n' % wrapper)
    return cleanup


def show_clouds(config_file):
    """Print ``multios clouds`` once the clouds are warm -> first latencies.

    A cold cloud's first calls (its first token, Nova's first request) take
    seconds, which ``multios clouds`` would show as the cloud's latency. A
    first, quiet run makes them (and leaves each cloud's token in
    state_path for the runs after it); the second run is the one shown.
    Returns {cloud: latency in ms} of the first run.
    """
    command = [_bin('multios'), '--config-file', config_file, 'clouds']
    print('\nWarming up the clouds (the first calls of a cold cloud take '
          'seconds)...', flush=True)
    warm_up = subprocess.run(command + ['--format', 'json'],
                             capture_output=True, text=True, check=False)
    try:
        first = {c['name']: c['latency_ms']
                 for c in json.loads(warm_up.stdout)}
    except ValueError:
        first = {}  # the run shown next says what is wrong
    print('\n$ multios --config-file %s clouds' % config_file, flush=True)
    subprocess.run(command, check=False)
    return first


def _spawn(argv, log_path):
    with open(log_path, 'ab') as log:
        return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=REPO)


def _openstack_howto(testbed, keystone_url, api_url):
    """The shell lines that run ``openstack federation server list``.

    The testbed's catalog names the API; another Keystone's may not, so
    then the endpoint is given.
    """
    if testbed is None:
        user = ['OS_USERNAME=...', 'OS_PASSWORD=...', 'OS_PROJECT_NAME=...',
                'OS_MULTIOS_ENDPOINT_OVERRIDE=%s' % api_url]
    else:
        user = ['OS_USERNAME=demo', 'OS_PROJECT_NAME=demo',
                'OS_PASSWORD=%s' % shlex.quote(
                    testbed.clouds[0].passwords['demo'])]
    lines = ['export OS_AUTH_URL=%s OS_IDENTITY_API_VERSION=3'
             % keystone_url,
             'export OS_USER_DOMAIN_NAME=Default '
             'OS_PROJECT_DOMAIN_NAME=Default',
             'export ' + ' '.join(user),
             '%s federation server list' % _bin('openstack')]
    return '\n'.join('  ' + line for line in lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--dir', default=os.path.join(REPO, '.demo'))
    parser.add_argument('--api-port', type=int, default=API_PORT)
    parser.add_argument('--dashboard-port', type=int, default=DASHBOARD_PORT)
    parser.add_argument('--exit-when-ready', action='store_true',
                        help='stop everything once it all serves (a check)')
    args = parser.parse_args(argv)
    os.makedirs(args.dir, exist_ok=True)

    finished = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: finished.set())
    signal.signal(signal.SIGINT, lambda *_: finished.set())

    testbed = None
    children = []
    cleanups = []
    config_file = os.environ.get('MULTIOS_CONFIG_FILE')
    try:
        if config_file:
            keystone_url = os.environ.get('MULTIOS_KEYSTONE_URL')
            if not keystone_url:
                raise SystemExit('MULTIOS_CONFIG_FILE is set: set '
                                 'MULTIOS_KEYSTONE_URL too, the Keystone '
                                 'users log in to (its [keystone_authtoken] '
                                 'belongs in that file)')
            config_files = [config_file]
            login = 'your account in %s' % keystone_url
        else:
            print('No clouds configured (MULTIOS_CONFIG_FILE): starting '
                  'three local testbed clouds, each a real Keystone and '
                  'Nova...', flush=True)
            testbed = Testbed(clouds=3,
                              directory=os.path.join(args.dir, 'testbed'))
            testbed.start()
            print('  %d clouds up in %.0f s (%.0f MiB)' % (
                len(testbed.clouds), testbed.startup_seconds,
                testbed.rss_mib()))
            # The state (the shared sqlite database) of every demo process.
            config_file = os.path.join(args.dir, 'multios.conf')
            with open(testbed.config_file, encoding='utf-8') as base, \
                    open(os.open(config_file, os.O_WRONLY | os.O_CREAT |
                                 os.O_TRUNC, 0o600), 'w',
                         encoding='utf-8') as out:
                out.write(base.read() + '\n[DEFAULT]\nstate_path = %s\n'
                          % files.ini_value(args.dir))
            cleanups.append(_confine_fping(args.dir, config_file))
            home = testbed.clouds[0]
            keystone_url = home.auth_url
            api_conf = os.path.join(args.dir, 'api.conf')
            with open(os.open(api_conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                              0o600), 'w', encoding='utf-8') as out:
                out.write(home.authtoken_section())
            config_files = [config_file, api_conf]
            login = ('user demo, password %s (reader: password %s; admin: '
                     'password %s)' % (home.passwords['demo'],
                                       home.passwords['reader'],
                                       home.passwords['admin']))

        show_clouds(config_file)

        print('\nStarting the API, the engine and the dashboard (logs in '
              '%s)...' % args.dir, flush=True)
        config_args = [arg for path in config_files
                       for arg in ('--config-file', path)]
        api = _spawn([_bin('multios-api')] + config_args +
                     ['--port', str(args.api_port), '--paste-config',
                      os.path.join(REPO, 'etc', 'multios', 'api-paste.ini')],
                     os.path.join(args.dir, 'api.log'))
        children.append(api)
        children.append(_spawn([_bin('multios-engine')] + config_args,
                               os.path.join(args.dir, 'engine.log')))
        _wait_port(args.api_port, 'the API', api)
        api_url = 'http://127.0.0.1:%d/v1' % args.api_port
        if testbed is not None:
            testbed.register_multios(api_url)
        # The dashboard holds no cloud account: it calls the API as each
        # user, found in the home catalog (another Keystone's may not have
        # it: then it is named).
        dashboard_args = ['--keystone-url', keystone_url,
                          '--state-dir', os.path.join(args.dir, 'horizon'),
                          '--port', str(args.dashboard_port)]
        if testbed is None:
            dashboard_args += ['--api-url', api_url]
        dashboard = _spawn(
            [sys.executable, '-m', 'multios_dashboard.demo'] + dashboard_args,
            os.path.join(args.dir, 'dashboard.log'))
        children.append(dashboard)
        _wait_port(args.dashboard_port, 'the dashboard', dashboard)

        print('\nMultiOS is up.')
        print('  Dashboard: http://127.0.0.1:%d/  %s'
              % (args.dashboard_port, login))
        print('  API:       http://127.0.0.1:%d/v1  (Keystone tokens from %s)'
              % (args.api_port, keystone_url))
        print('  CLI:       %s --config-file %s list --all-tenants'
              % (_bin('multios'), config_file))
        print('\nAs the demo user, with the openstack CLI:')
        print(_openstack_howto(testbed, keystone_url, api_url))
        print('Press Ctrl-C to stop.', flush=True)
        if not args.exit_when_ready:
            while not finished.wait(1):
                pass
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
        if testbed is not None:
            testbed.stop()
        for cleanup in cleanups:
            cleanup()
    return 0


if __name__ == '__main__':
    sys.exit(main())
