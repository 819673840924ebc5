# SPDX-License-Identifier: Apache-2.0
"""A real Horizon with the MultiOS panels, a real browser, real clouds.

The session's shared testbed clouds (``tests/conftest.py``) back a real
multios-api (registered in the home Keystone's catalog, as deployed) and a
Horizon served through ``python -m multios_dashboard.demo`` on free
loopback ports. Horizon gets the home Keystone's URL and nothing else: no
cloud account, no MultiOS configuration; its panels find the API in each
user's catalog. The tests drive Debian's headless Chromium through
chromedriver. Screenshots are kept under ``test-artifacts/e2e/``.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome import service as chrome_service

from tests.functional import api_server
from tests.functional import netns


REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
ARTIFACTS = os.path.join(REPO, 'test-artifacts', 'e2e')
CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
CHROMIUM_FLAGS = ('--headless', '--no-sandbox', '--disable-gpu',
                  '--disable-quic', '--no-first-run',
                  '--disable-background-networking',
                  '--disable-component-update', '--disable-sync',
                  '--window-size=1400,1000')
# The first page compiles Horizon's SCSS: slow on a loaded machine.
HORIZON_START_TIMEOUT = 600


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _wait_http(url, process, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError('Horizon exited with %s' % process.returncode)
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise RuntimeError('Horizon did not answer %s in %ss' % (url, timeout))


@pytest.fixture(scope='session')
def fping_namespace():
    """Check Health pings inside a namespace of the session's own only."""
    if os.geteuid() != 0:
        pytest.fail('the e2e tests need root for their fping namespace '
                    '(CI runs as root)', pytrace=False)
    with netns.NetNamespace('multios-e2e-%d' % os.getpid()) as namespace:
        yield namespace


@pytest.fixture(scope='session')
def multios_api(testbed, fping_namespace):
    """A real multios-api over the testbed, in the home catalog.

    Placement is round_robin: what the review step plans is what the
    launch that follows does, whatever the clouds' latency meanwhile.
    """
    state = tempfile.mkdtemp(prefix='multios-e2e-api-')
    fping = api_server.write_fping_wrapper(fping_namespace,
                                           os.path.join(state, 'fping'))
    server = api_server.ApiServer(testbed, state, extra='\n'.join([
        '[placement]', 'strategy = round_robin',
        '[fping]', 'fping_path = %s' % fping, '']))
    server.start()
    try:
        yield server
    finally:
        server.stop()
        os.makedirs(ARTIFACTS, exist_ok=True)
        shutil.copy(server.log_file, os.path.join(ARTIFACTS,
                                                  'multios-api.log'))
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope='session')
def horizon(testbed, multios_api):
    """Base URL of a Horizon whose users log in through alpha's Keystone."""
    state = tempfile.mkdtemp(prefix='multios-e2e-horizon-')
    port = _free_port()
    log = open(os.path.join(state, 'horizon.log'), 'w')
    process = subprocess.Popen(
        [sys.executable, '-m', 'multios_dashboard.demo',
         '--keystone-url', testbed.clouds[0].auth_url,
         '--state-dir', state, '--port', str(port)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    url = 'http://127.0.0.1:%d' % port
    try:
        _wait_http(url + '/auth/login/', process, HORIZON_START_TIMEOUT)
        yield url
    finally:
        process.terminate()
        process.wait(30)
        log.close()
        os.makedirs(ARTIFACTS, exist_ok=True)
        shutil.copy(os.path.join(state, 'horizon.log'), ARTIFACTS)
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope='session')
def browser():
    profile = tempfile.mkdtemp(prefix='multios-e2e-chromium-')
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument('--user-data-dir=%s' % profile)
    driver = webdriver.Chrome(
        service=chrome_service.Service(executable_path=CHROMEDRIVER),
        options=options)
    driver.set_page_load_timeout(300)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def screenshot(browser, request):
    """screenshot(step) keeps a PNG named after the test and the step."""
    os.makedirs(ARTIFACTS, exist_ok=True)

    def take(step):
        path = os.path.join(ARTIFACTS, '%s-%s.png' % (request.node.name,
                                                      step))
        browser.save_screenshot(path)
        return path
    return take
