# SPDX-License-Identifier: Apache-2.0
"""os-federation/flavors and images: each name and the clouds having it."""

from multiosclient import base


class FlavorManager(base.Manager):

    def list(self):
        """``[{"name", "clouds": [{"cloud", "id", "vcpus", "ram",
        "disk"}]}]`` with ``errors``.
        """
        return self._list('/os-federation/flavors', 'flavors')


class ImageManager(base.Manager):

    def list(self):
        """``[{"name", "clouds": [{"cloud", "id", "status"}]}]`` with
        ``errors``.
        """
        return self._list('/os-federation/images', 'images')
