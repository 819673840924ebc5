# SPDX-License-Identifier: Apache-2.0
"""os-federation/placement: how the clouds rank for a launch."""

from multiosclient import base
from multiosclient.v1 import servers


class PlacementManager(base.Manager):

    def rank(self, name, flavor, image, count=1, cloud=None, **options):
        """-> ``{"ranked", "rejected", "plan", "unplaced"}``; creates
        nothing. ``options``: as ``servers.launch_body`` takes them.
        """
        body = servers.launch_body(name, flavor, image, count, cloud,
                                   **options)
        body['server']['count'] = count
        return base.Resource(self.http.post(
            '/os-federation/placement', json=body).json()['placement'])
