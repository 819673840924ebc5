# SPDX-License-Identifier: Apache-2.0
"""Nova's fake virt driver, as slow as a real one where a test asks.

A fake server is ACTIVE a moment after its create and gone a moment after
its delete; on a real cloud each takes seconds, long enough for a
dashboard to show it "Build" or "Deleting". A server of a flavor whose
extra spec ``testbed:spawn_seconds`` is set takes that long to spawn, and
one whose metadata has ``testbed:destroy_seconds`` that long to be
destroyed (its compute service waits; the API and every other server do
not). Any other server is as quick as before.
"""

import functools
import time

#: Flavor extra spec: seconds the compute service takes to spawn a server.
SPAWN_SECONDS = 'testbed:spawn_seconds'
#: Server metadata: seconds the compute service takes to destroy it.
DESTROY_SECONDS = 'testbed:destroy_seconds'


def _slowed(method, seconds_of):
    @functools.wraps(method)
    def slow(self, context, instance, *args, **kwargs):
        time.sleep(float(seconds_of(instance) or 0))
        return method(self, context, instance, *args, **kwargs)
    return slow


def slow_spawn(spawn):
    """``FakeDriver.spawn``, waiting what the server's flavor asks."""
    return _slowed(spawn, lambda instance: (
        instance.flavor.extra_specs or {}).get(SPAWN_SECONDS))


def slow_destroy(destroy):
    """``FakeDriver.destroy``, waiting what the server's metadata asks."""
    return _slowed(destroy, lambda instance: (
        instance.metadata or {}).get(DESTROY_SECONDS))
