# SPDX-License-Identifier: Apache-2.0
"""os-federation/clouds: state, latency and quota usage of each cloud;
admins register, change and remove clouds."""

from multiosclient import base

URL = '/os-federation/clouds'


class CloudManager(base.Manager):

    def list(self):
        return self._list(URL, 'clouds')

    def get(self, name):
        return base.Resource(self._get('%s/%s' % (URL, name), 'cloud'))

    def create(self, name, auth_url, username, password, project_name,
               **options):
        """Register a cloud -> its state; the API signs in with the
        account first (BadRequest saying why when it cannot).

        ``options``: ``user_domain_name``, ``project_domain_name``,
        ``region_name``, ``interface``, ``verify``, ``cacert``, ``weight``,
        ``enabled``, ``draining``, ``api_timeout``, ``max_concurrency``
        (None ones are left out).
        """
        cloud = dict(name=name, auth_url=auth_url, username=username,
                     password=password, project_name=project_name)
        cloud.update((k, v) for k, v in options.items() if v is not None)
        return base.Resource(self.http.post(URL, json={
            'cloud': cloud}).json()['cloud'])

    def update(self, name, **changes):
        """Set ``enabled``, ``draining`` and/or ``weight`` of a registered
        cloud -> its state (Conflict naming the file for a configured
        one).
        """
        return base.Resource(self.http.put('%s/%s' % (URL, name), json={
            'cloud': changes}).json()['cloud'])

    def delete(self, name):
        """Remove a registered cloud; its servers are no longer seen."""
        self.http.delete('%s/%s' % (URL, name))
