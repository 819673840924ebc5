# SPDX-License-Identifier: Apache-2.0
"""Create MultiOS-owned servers on a testbed that runs in a network namespace.

The clouds of such a testbed are only reachable from inside the namespace,
so the test runs this module there::

    ip netns exec NS python -m tests.functional.netns_servers DIR SPEC

``DIR`` is the testbed directory, ``SPEC`` a JSON list of ``{"name",
"cloud", "project_id", "user_id", "network"}``. Each server is created by
the operator with the owner metadata MultiOS's launcher writes, with one
port on the cloud's network (or none when ``network`` is false). It prints
a JSON list of ``{"name", "id", "cloud", "status", "addresses"}`` once every
server is ACTIVE (or after a minute), addresses as Nova reports them.
"""

import json
import sys
import time

from multios import federation
from tests.testbed import testbed as testbed_mod

IMAGE = 'cirros'
FLAVOR = 'm1.tiny'
# The image proxy of the compute API ended with microversion 2.35.
IMAGE_PROXY_VERSION = 'compute 2.35'
ACTIVE_TIMEOUT = 60


def _image_id(cloud):
    images = cloud.session('admin').get(
        cloud.compute_url + '/images',
        headers={'OpenStack-API-Version': IMAGE_PROXY_VERSION}).json()
    return next(image['id'] for image in images['images']
                if image['name'] == IMAGE)


def _create(cloud, spec):
    nova = cloud.nova_client('admin')
    nics = ([{'net-id': testbed_mod.NETWORK_ID}]
            if spec['network'] else 'none')
    return nova.servers.create(
        spec['name'], _image_id(cloud), nova.flavors.find(name=FLAVOR),
        nics=nics, meta={federation.META_PROJECT_ID: spec['project_id'],
                         federation.META_USER_ID: spec['user_id'],
                         federation.META_REQUEST_ID: 'req-netns-test'})


def _wait_ready(cloud, server_id, want_addresses, deadline):
    """The server once ACTIVE (with addresses if wanted) or at deadline."""
    nova = cloud.nova_client('admin')
    while True:
        server = nova.servers.get(server_id)
        ready = (server.status == 'ACTIVE' and
                 bool(server.addresses or not want_addresses))
        if ready or server.status == 'ERROR' or time.monotonic() > deadline:
            return server
        time.sleep(0.5)


def create_servers(directory, specs):
    testbed = testbed_mod.Testbed.attach(directory)
    created = [(spec, testbed.cloud(spec['cloud']),
                _create(testbed.cloud(spec['cloud']), spec))
               for spec in specs]
    deadline = time.monotonic() + ACTIVE_TIMEOUT
    servers = []
    for spec, cloud, server in created:
        server = _wait_ready(cloud, server.id, spec['network'], deadline)
        servers.append({'name': spec['name'], 'id': server.id,
                        'cloud': cloud.name, 'status': server.status,
                        'addresses': server.addresses})
    return servers


def main(argv):
    directory, spec = argv
    json.dump(create_servers(directory, json.loads(spec)), sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:])
