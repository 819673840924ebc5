"""os-federation/placement: how the clouds rank for a launch."""

from multiosclient import base
from multiosclient.v1 import servers


class PlacementManager(base.Manager):

    def rank(self, name, flavor, image, **spec):
        """-> ``{"ranked", "rejected", "plan", "unplaced"}``; creates
        nothing. ``spec`` as ``servers.launch_body`` takes it."""
        return base.Resource(self.http.post(
            '/os-federation/placement',
            json=servers.launch_body(name, flavor, image, **spec)
        ).json()['placement'])
