"""Per-cloud cache of quota limits and usage.

Reading limits costs one API call per cloud; a launch burst or repeated
``--dry-run`` reuses them for ``[placement] quota_cache_ttl`` seconds. A
cloud's entry is dropped as soon as its usage is known to have changed: a
launch ended there or the cloud refused one for quota.
"""

import threading
import time

from multios.placement import model


def from_usage(usage):
    """``Cloud.usage()`` -> ``{resource: (limit, used)}`` for CloudFacts.

    A limit Nova does not report is taken as unlimited.
    """
    limits = {}
    for resource in model.RESOURCES:
        item = usage.get(resource) or {}
        limit = item.get('limit')
        limits[resource] = (-1 if limit is None else limit,
                            item.get('used') or 0)
    return limits


class QuotaCache:

    def __init__(self, ttl, clock=time.monotonic):
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._entries = {}

    def get(self, cloud_name):
        """Cached limits of the cloud, or None when absent or stale."""
        with self._lock:
            entry = self._entries.get(cloud_name)
            if entry is None or self._clock() - entry[0] >= self.ttl:
                return None
            return entry[1]

    def put(self, cloud_name, limits):
        with self._lock:
            self._entries[cloud_name] = (self._clock(), limits)

    def invalidate(self, cloud_name):
        with self._lock:
            self._entries.pop(cloud_name, None)
