# SPDX-License-Identifier: Apache-2.0
"""os-fping: which servers answer ping."""

from multiosclient import base

URL = '/os-fping'


def _ids(ids):
    return ids if ids is None or isinstance(ids, str) else ','.join(ids)


class FpingManager(base.Manager):

    def list(self, all_tenants=False, include=None, exclude=None):
        """``[{"id", "project_id", "cloud", "alive"}]`` with ``errors``;
        ``include``/``exclude``: server ids (include wins).
        """
        params = {'all_tenants': 1 if all_tenants else None,
                  'include': _ids(include), 'exclude': _ids(exclude)}
        return self._list(URL, 'servers', **{
            k: v for k, v in params.items() if v is not None})

    def get(self, server_id):
        return base.Resource(self._get('%s/%s' % (URL, server_id),
                                       'server'))
