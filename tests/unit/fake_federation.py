# SPDX-License-Identifier: Apache-2.0
"""A Federation over fake clouds, calling them one after another."""

from multios import exception
from multios import federation as federation_mod


class FakeFederation:
    """What placement and the launcher read of a multios Federation."""

    def __init__(self, *clouds):
        self._clouds = {c.name: c for c in clouds}

    def clouds(self):
        return list(self._clouds.values())

    def cloud(self, name):
        try:
            return self._clouds[name]
        except KeyError:
            raise exception.CloudNotFound(name=name)

    def home_cloud(self):
        return self.clouds()[0]

    def map(self, func, clouds):
        """As Federation.map, one cloud after another."""
        result = federation_mod.Result()
        for cloud in clouds:
            try:
                result.items.append(func(cloud))
            except federation_mod.CLOUD_ERRORS as e:
                result.errors.append(federation_mod.CloudError(
                    cloud.name, federation_mod.describe(e)))
        return result
