# SPDX-License-Identifier: Apache-2.0
"""Small in-memory Novas behind the real circuit breaker, for launch tests.

``FakeNova`` answers what the launcher and the cleanup call; its
``behaviour`` says how a boot ends. Every cloud call is written to a shared
``events`` list, so that tests can assert the order of calls across clouds
(e.g. a server confirmed gone before the next cloud is tried).
"""

import re
import threading

from novaclient import exceptions as nova_exc

from multios import clouds as multios_clouds
from multios import exception
from multios import federation as federation_mod
from tests.unit import fake_federation

FLAVOR = type('Flavor', (), dict(id='f1', name='m1.tiny', vcpus=1, ram=512,
                                 disk=1))


class FakeServer:

    def __init__(self, id, name, meta, created='2026-01-01T00:00:00Z',
                 **options):
        self.id = id
        self.name = name
        self.metadata = dict(meta)
        self.key_name = options.get('key_name')
        self.options = options
        self.status = 'BUILD'
        self.fault = None
        self.created = created
        self.polls = 0
        setattr(self, 'OS-EXT-STS:task_state', 'scheduling')


class FakeNova:
    """Servers of one cloud; ``behaviour`` says how a boot ends.

    ``active`` (after two polls), ``error`` (NoValidHost fault), ``hang``
    (BUILD forever), ``quota`` (403 at create), ``down`` (create cannot
    connect), ``lost`` (the server is made but create gets no answer),
    ``undeletable`` (ERROR, and delete cannot connect), ``sticky`` (ERROR,
    and a delete is accepted but the server stays), ``overquota`` (ERROR
    with a quota fault: Nova's recheck), ``refuse`` (400 at create),
    ``vanish`` (deleted behind MultiOS's back while it builds),
    ``poll-down`` (created, then every poll cannot connect). ``limit``:
    Nova's own instance quota.
    """

    def __init__(self, behaviour='active', limit=10, events=None):
        self.behaviour = behaviour
        self.limit = limit
        self.servers = {}
        self.deleted = []
        self.creates = 0
        self.events = events if events is not None else []
        self.name = None
        #: Listings cannot connect (creates and polls still can).
        self.listing_down = False
        self._lock = threading.Lock()

    def _event(self, *what):
        self.events.append((self.name,) + what)

    def create(self, name, image, flavor, meta, nics, **options):
        self._event('create', name)
        if self.behaviour == 'down':
            raise exception.CloudUnavailable(name='x', reason='cannot connect')
        if self.behaviour == 'refuse':
            raise nova_exc.BadRequest(400, 'Invalid key_name provided.')
        with self._lock:
            if self.behaviour == 'quota' or len(self.servers) >= self.limit:
                raise nova_exc.Forbidden(403, 'Quota exceeded for instances')
            self.creates += 1
            server = FakeServer('%s-srv-%d' % (self.name, self.creates),
                                name, meta, nics=nics, **options)
            self.servers[server.id] = server
        if self.behaviour == 'lost':
            server.status = 'ACTIVE'
            raise exception.CloudUnavailable(name='x',
                                             reason='no answer within 2s')
        return server

    def get(self, server_id):
        if self.behaviour == 'poll-down':
            raise exception.CloudUnavailable(name='x', reason='cannot connect')
        if self.behaviour == 'vanish':
            self.servers.pop(server_id, None)
        server = self.servers.get(server_id)
        if server is None:
            self._event('gone', server_id)
            raise nova_exc.NotFound(404)
        server.polls += 1
        if server.status == 'BUILD':
            setattr(server, 'OS-EXT-STS:task_state', 'spawning')
            if self.behaviour in ('error', 'undeletable', 'sticky'):
                server.status = 'ERROR'
                server.fault = {'message': 'No valid host was found. '}
            elif self.behaviour == 'overquota':
                server.status = 'ERROR'
                server.fault = {'message': 'Quota exceeded for instances: '
                                'Requested 1, but already used 10 of 10'}
            elif self.behaviour == 'active' and server.polls >= 2:
                server.status = 'ACTIVE'
        return server

    def delete(self, server_id):
        self._event('delete', server_id)
        if self.behaviour == 'undeletable':
            raise exception.CloudUnavailable(name='x', reason='cannot connect')
        if self.behaviour == 'sticky' and server_id in self.servers:
            return
        if self.servers.pop(server_id, None) is None:
            raise nova_exc.NotFound(404)
        self.deleted.append(server_id)

    def list(self, detailed=True, search_opts=None, limit=None):
        self._event('list')
        if self.listing_down:
            raise exception.CloudUnavailable(name='x', reason='cannot connect')
        pattern = (search_opts or {}).get('name')
        found = [s for s in list(self.servers.values())
                 if pattern is None or re.search(pattern, s.name)]
        if not detailed:  # Nova's GET /servers: ids and names only
            return [type('Server', (), {'id': s.id, 'name': s.name})()
                    for s in found]
        return found


class FakeKeypair:

    def __init__(self, name, public_key):
        self.name = name
        self.public_key = public_key


class FakeKeypairs:
    """Nova's key pairs of the operator; ``broken``: every call fails."""

    def __init__(self, events, cloud_name):
        self.keypairs = {}
        self.events = events
        self.cloud_name = cloud_name
        self.broken = False

    def _event(self, *what):
        self.events.append((self.cloud_name,) + what)
        if self.broken:
            raise exception.CloudUnavailable(name=self.cloud_name,
                                             reason='cannot connect')

    def get(self, name, user_id=None):
        self._event('get keypair', name, *([user_id] if user_id else []))
        if name not in self.keypairs:
            raise nova_exc.NotFound(404)
        return self.keypairs[name]

    def create(self, name, public_key):
        self._event('import keypair', name)
        if name in self.keypairs:
            raise nova_exc.Conflict(409)
        self.keypairs[name] = FakeKeypair(name, public_key)
        return self.keypairs[name]

    def delete(self, name):
        self._event('delete keypair', name)
        if self.keypairs.pop(name, None) is None:
            raise nova_exc.NotFound(404)


class FakeCloud:
    """What the launcher, placement and cleanup use of a Cloud.

    ``security_groups``, ``networks`` ({name: [ids]}) and ``zones`` are
    what placement reads when a request names some.
    """

    def __init__(self, name, nova, weight=1.0, enabled=True,
                 security_groups=('default',), networks=None,
                 zones=('nova',), network_aliases=None):
        self.name = name
        self.weight = weight
        self.enabled = enabled
        self.draining = False
        self.health = multios_clouds.Health(3, 30)
        self.fake = nova
        nova.name = name
        self.keypairs = FakeKeypairs(nova.events, name)
        self.nova = type('Nova', (), {'servers': nova,
                                      'keypairs': self.keypairs})
        self.usage_reads = 0
        self.groups = list(security_groups)
        self.network_names = networks or {'private': ['net-%s' % name]}
        self.zones = list(zones)
        self.network_aliases = network_aliases or {}

    def call(self, func, *args, **kwargs):
        return func(*args, **kwargs)

    def flavors(self):
        return [FLAVOR]

    def images(self):
        return [{'id': 'img', 'name': 'cirros', 'status': 'ACTIVE'}]

    def security_groups(self):
        return [{'id': 'sg-' + name, 'name': name} for name in self.groups]

    def networks(self):
        return [{'id': network_id, 'name': name}
                for name, ids in self.network_names.items()
                for network_id in ids]

    def availability_zones(self):
        return list(self.zones)

    def list_servers(self, all_tenants=False):
        return list(self.fake.servers.values())

    def usage(self):
        self.usage_reads += 1
        return {'instances': {'used': len(self.fake.servers),
                              'limit': self.fake.limit},
                'cores': {'used': 0, 'limit': -1},
                'ram': {'used': 0, 'limit': -1}}

    def delete_server(self, server_id):
        self.fake.delete(server_id)


class FakeFederation(fake_federation.FakeFederation):

    def list_servers(self, context, all_tenants=False, cloud=None):
        return federation_mod.Result(items=[
            federation_mod.Server.from_nova(c.name, s)
            for c in self.clouds() for s in list(c.fake.servers.values())
            if cloud in (None, c.name)])

    def get_server(self, context, server_id, cloud=None):
        for each in self.clouds():
            if cloud in (None, each.name) and server_id in each.fake.servers:
                return federation_mod.Server.from_nova(
                    each.name, each.fake.servers[server_id])
        raise exception.ServerNotFound(server_id=server_id)


def clouds(*specs, events=None):
    """FakeClouds of ``(name, behaviour, limit)`` sharing one events list."""
    events = [] if events is None else events
    return [FakeCloud(name, FakeNova(behaviour, limit, events))
            for name, behaviour, limit in specs]
