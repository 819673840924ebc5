# SPDX-License-Identifier: Apache-2.0
"""os-federation/launches: follow and cancel launches."""

from multiosclient import base

URL = '/os-federation/launches'


class LaunchManager(base.Manager):

    def list(self, all_tenants=False):
        """The caller's launches, newest first (every project's: admin)."""
        return self._list(URL, 'launches',
                          **({'all_tenants': 1} if all_tenants else {}))

    def get(self, launch_id):
        return base.Resource(self._get('%s/%s' % (URL, launch_id), 'launch'))

    def cancel(self, launch_id):
        """No further attempts; what the launch made is deleted."""
        return base.Resource(self.http.delete(
            '%s/%s' % (URL, launch_id)).json()['launch'])
