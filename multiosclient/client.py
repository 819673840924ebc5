# SPDX-License-Identifier: Apache-2.0
"""The MultiOS API client over a keystoneauth Session."""

from keystoneauth1 import adapter

from multiosclient import exceptions
from multiosclient.v1 import catalog
from multiosclient.v1 import clouds
from multiosclient.v1 import fping
from multiosclient.v1 import launches
from multiosclient.v1 import placement
from multiosclient.v1 import servers

#: The service type multios-api is registered with in the Keystone catalog.
SERVICE_TYPE = 'multios'


class HTTPClient(adapter.Adapter):
    """An Adapter whose error answers raise ``multiosclient.exceptions``."""

    def request(self, url, method, **kwargs):
        kwargs.setdefault('raise_exc', False)
        headers = kwargs.setdefault('headers', {})
        headers.setdefault('Accept', 'application/json')
        response = super().request(url, method, **kwargs)
        if response.status_code >= 400:
            raise exceptions.from_response(response)
        return response


class Client:
    """``Client(session)``: the API of the catalog's ``multios`` service.

    ``endpoint_override`` names the API's URL instead (its version prefix
    included, e.g. ``http://host:8790/v1``, or nova-api's ``.../v2.1``
    when MultiOS runs as its filter); the other keyword arguments are
    keystoneauth Adapter's (``interface``, ``region_name``...).
    """

    def __init__(self, session, service_type=SERVICE_TYPE, **adapter_kwargs):
        self.http = HTTPClient(session, service_type=service_type,
                               **adapter_kwargs)
        self.servers = servers.ServerManager(self.http)
        self.launches = launches.LaunchManager(self.http)
        self.placement = placement.PlacementManager(self.http)
        self.clouds = clouds.CloudManager(self.http)
        self.flavors = catalog.FlavorManager(self.http)
        self.images = catalog.ImageManager(self.http)
        self.fping = fping.FpingManager(self.http)
