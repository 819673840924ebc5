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

    def __init__(self, id, name, meta, created='2026-01-01T00:00:00Z'):
        self.id = id
        self.name = name
        self.metadata = dict(meta)
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
    ``undeletable`` (ERROR, and delete cannot connect). ``limit``: Nova's
    own instance quota.
    """

    def __init__(self, behaviour='active', limit=10, events=None):
        self.behaviour = behaviour
        self.limit = limit
        self.servers = {}
        self.deleted = []
        self.creates = 0
        self.events = events if events is not None else []
        self.name = None
        self._lock = threading.Lock()

    def _event(self, *what):
        self.events.append((self.name,) + what)

    def create(self, name, image, flavor, meta, nics):
        self._event('create', name)
        if self.behaviour == 'down':
            raise exception.CloudUnavailable(name='x', reason='cannot connect')
        with self._lock:
            if self.behaviour == 'quota' or len(self.servers) >= self.limit:
                raise nova_exc.Forbidden(403, 'Quota exceeded for instances')
            self.creates += 1
            server = FakeServer('%s-srv-%d' % (self.name, self.creates),
                                name, meta)
            self.servers[server.id] = server
        if self.behaviour == 'lost':
            server.status = 'ACTIVE'
            raise exception.CloudUnavailable(name='x',
                                             reason='no answer within 2s')
        return server

    def get(self, server_id):
        server = self.servers.get(server_id)
        if server is None:
            self._event('gone', server_id)
            raise nova_exc.NotFound(404)
        server.polls += 1
        if server.status == 'BUILD':
            setattr(server, 'OS-EXT-STS:task_state', 'spawning')
            if self.behaviour in ('error', 'undeletable'):
                server.status = 'ERROR'
                server.fault = {'message': 'No valid host was found. '}
            elif self.behaviour == 'active' and server.polls >= 2:
                server.status = 'ACTIVE'
        return server

    def delete(self, server_id):
        self._event('delete', server_id)
        if self.behaviour == 'undeletable':
            raise exception.CloudUnavailable(name='x', reason='cannot connect')
        if self.servers.pop(server_id, None) is None:
            raise nova_exc.NotFound(404)
        self.deleted.append(server_id)

    def list(self, detailed=True, search_opts=None, limit=None):
        pattern = (search_opts or {}).get('name')
        return [s for s in list(self.servers.values())
                if pattern is None or re.search(pattern, s.name)]


class FakeCloud:
    """What the launcher, placement and cleanup use of a Cloud."""

    def __init__(self, name, nova, weight=1.0, enabled=True):
        self.name = name
        self.weight = weight
        self.enabled = enabled
        self.draining = False
        self.health = multios_clouds.Health(3, 30)
        self.fake = nova
        nova.name = name
        self.nova = type('Nova', (), {'servers': nova})
        self.usage_reads = 0

    def call(self, func, *args, **kwargs):
        return func(*args, **kwargs)

    def flavors(self):
        return [FLAVOR]

    def images(self):
        return [{'id': 'img', 'name': 'cirros', 'status': 'ACTIVE'}]

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
