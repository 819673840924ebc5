# SPDX-License-Identifier: Apache-2.0
"""One testbed cloud's Nova, served on a real port behind real Keystone auth.

Nova's own functional-test base class starts the real services in process:
API, conductor, scheduler, placement and one compute service on the fake virt
driver, with Glance, Cinder and Neutron faked at their client boundary. This
module sets that up once, then serves Nova's real ``osapi_compute`` paste
pipeline (keystonemiddleware ``auth_token`` included) on a loopback port.

Run as ``python -m tests.testbed.nova_service --spec FILE``; it prints
``NOVA READY`` when it serves. See ``serving.Listener`` for its signals.
"""

import os

# Must be set before nova is imported: native threads, no eventlet (a wsgiref
# server hangs under eventlet), and none of oslotest's output capture.
os.environ.update({
    'OS_NOVA_DISABLE_EVENTLET_PATCHING': 'true',
    'OS_STDOUT_CAPTURE': '0',
    'OS_STDERR_CAPTURE': '0',
    'OS_LOG_CAPTURE': '0',
    'OS_TEST_TIMEOUT': '0',
})

# Nova decides between eventlet and native threads before anything imports
# eventlet; its functional package does that on import.
import nova.tests.functional  # noqa: E402,F401,I100

import functools  # noqa: E402
import importlib  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402

import fixtures  # noqa: E402
from futurist import _thread as futurist_thread  # noqa: E402
from keystoneauth1 import loading as ks_loading  # noqa: E402
from keystonemiddleware import auth_token  # noqa: E402,F401 (registers opts)
from nova.api import wsgi as nova_wsgi  # noqa: E402
import nova.conf  # noqa: E402
from nova.tests import fixtures as nova_fixtures  # noqa: E402
from nova.tests.functional import integrated_helpers  # noqa: E402
from nova.virt import fake  # noqa: E402

from tests.testbed import fake_driver  # noqa: E402
from tests.testbed import neutron  # noqa: E402
from tests.testbed import serving  # noqa: E402
from tests.testbed import testbed  # noqa: E402

CONF = nova.conf.CONF
# By its module object: the package's "from .nova import *" binds the name
# "nova" in nova.tests.fixtures to the top-level nova package.
NOVA_FIXTURES_MODULE = importlib.import_module('nova.tests.fixtures.nova')


class ReaderPreferringLock(nova_fixtures.ReaderWriterLock):
    """The CellDatabases fixture's lock, with readers never queued.

    Nova's lock makes a new reader wait behind a waiting writer. A thread
    inside an SQLite write transaction (DatabaseWriteLock) that asks for a
    read lock then waits for the writer, the writer for the current readers,
    and they for that write transaction: a deadlock that a long-lived cloud
    under load reaches within minutes. The fixture's writers only swap which
    cell database is current, so letting readers in first cannot starve
    them for long.
    """

    def _acquire_read_lock(self, me):
        with self._cond:
            while self._writer not in (None, me):
                self._cond.wait()
            self._readers[me] = self._readers.get(me, 0) + 1


class TestbedNova(integrated_helpers._IntegratedTestBase):
    """Nova's integrated test base, kept running as a service."""

    STUB_KEYSTONE = False
    CAST_AS_CALL = False  # builds run asynchronously, as in a real cloud
    REQUIRES_LOCKING = True

    def __init__(self, spec):
        self.spec = spec
        super().__init__('run')

    def run(self, result=None):
        """Never run as a test; setUp() is all that is wanted."""

    def setUp(self):
        # The base class builds these fixtures by name: hand it ours.
        with fixtures.MonkeyPatch(
                'nova.tests.fixtures.NeutronFixture',
                functools.partial(neutron.TestbedNeutronFixture,
                                  cloud_number=self.spec['number'])), \
            fixtures.MockPatchObject(NOVA_FIXTURES_MODULE, 'ReaderWriterLock',
                                     ReaderPreferringLock):
            super().setUp()
        # nova.test makes idle worker threads poll every 10 ms to speed up
        # short tests; in a long-lived service that burns a core doing
        # nothing. futurist's own default is 1 s.
        futurist_thread.ThreadWorker.MAX_IDLE_FOR = 1
        # Spawns and deletes may take time, as on a real cloud
        # (fake_driver.py).
        self.useFixture(fixtures.MonkeyPatch(
            'nova.virt.fake.FakeDriver.spawn',
            fake_driver.slow_spawn(fake.FakeDriver.spawn)))
        self.useFixture(fixtures.MonkeyPatch(
            'nova.virt.fake.FakeDriver.destroy',
            fake_driver.slow_destroy(fake.FakeDriver.destroy)))
        for name, image_id in testbed.IMAGES.items():
            if image_id in self.glance.images:
                self.glance.images[image_id]['name'] = name

    def _setup_services(self):
        spec = self.spec
        keystone = spec['keystone_url']
        CONF.register_opts(
            ks_loading.get_auth_plugin_conf_options('password'),
            group='keystone_authtoken')
        self.flags(api_paste_config=spec['api_paste_config'], group='wsgi')
        # Nova's tests use a 2-vCPU fake host; a testbed cloud is limited by
        # its quotas, as clouds are, so give it the big fake host.
        self.flags(compute_driver='fake.FakeDriver')
        self.flags(group='keystone_authtoken',
                   www_authenticate_uri=keystone,
                   auth_type='password',
                   auth_url=keystone,
                   username=spec['service_user'],
                   password=spec['service_password'],
                   project_name=spec['service_project'],
                   user_domain_name='Default',
                   project_domain_name='Default',
                   interface='public')
        if spec.get('token_cache_time') is not None:
            self.flags(group='keystone_authtoken',
                       token_cache_time=spec['token_cache_time'])
        super()._setup_services()


def main(argv=None):
    spec = serving.read_spec(__doc__.splitlines()[0], argv)

    nova = TestbedNova(spec)
    nova.setUp()
    # Nova's StandardLogging fixture keeps every log record in memory for a
    # test to inspect; a long-running service writes them to its log instead.
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(
        '%(asctime)s %(levelname)s [%(name)s] %(message)s'))
    root.addHandler(handler)
    root.setLevel(os.environ.get('MULTIOS_TESTBED_LOG_LEVEL', 'WARNING'))
    app = nova_wsgi.Loader().load_app('osapi_compute')
    serving.serve(app, spec, 'NOVA READY')


if __name__ == '__main__':
    main()
