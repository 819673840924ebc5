"""os-federation/placement: how the clouds rank for a launch."""

from multiosclient import base


class PlacementManager(base.Manager):

    def rank(self, name, flavor, image, count=1, cloud=None):
        """-> ``{"ranked", "rejected", "plan", "unplaced"}``; creates
        nothing."""
        server = {'name': name, 'flavorRef': flavor, 'imageRef': image,
                  'count': count}
        if cloud is not None:
            server['cloud'] = cloud
        return base.Resource(self.http.post(
            '/os-federation/placement',
            json={'server': server}).json()['placement'])
