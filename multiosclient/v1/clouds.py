"""os-federation/clouds: state, latency and quota usage of each cloud."""

from multiosclient import base

URL = '/os-federation/clouds'


class CloudManager(base.Manager):

    def list(self):
        return self._list(URL, 'clouds')

    def get(self, name):
        return base.Resource(self._get('%s/%s' % (URL, name), 'cloud'))
