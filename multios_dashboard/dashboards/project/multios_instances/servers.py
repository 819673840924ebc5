# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Federated servers as the tables show them, whichever cloud they are on."""

from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import messages
from openstack_dashboard.utils import futurist_utils

from multios_dashboard import api


def warn_unavailable(request, result):
    """Name each cloud that did not answer; the others' rows still show."""
    for error in result.errors:
        messages.warning(
            request,
            _("Cloud %(cloud)s is unavailable, its instances are not "
              "shown: %(reason)s") % {"cloud": error.cloud,
                                      "reason": error.reason})


def image_names(request):
    """{(cloud, image id): name}: servers only know their image's id."""
    try:
        images = api.multios.image_list(request)
    except Exception:
        exceptions.handle(request, ignore=True)
        return {}
    return {(image["cloud"], image["id"]): image["name"]
            for image in images.items}


def name_images(servers, names):
    for server in servers:
        server.image_name = names.get((server.cloud, server.image),
                                      server.image)
    return servers


def _server_list(request, all_tenants, cloud):
    try:
        return api.multios.server_list(request, all_tenants=all_tenants,
                                       cloud=cloud)
    except Exception:
        exceptions.handle(request, _("Unable to retrieve instances."))


def list_servers(request, all_tenants=False, filters=None):
    """Servers of every cloud; ``filters``: name, cloud and/or status."""
    filters = filters or {}
    result, names = futurist_utils.call_functions_parallel(
        (_server_list, [request, all_tenants, filters.get("cloud")]),
        (image_names, [request]))
    if result is None:
        return []
    warn_unavailable(request, result)
    name = filters.get("name", "").lower()
    status = filters.get("status", "").lower()
    # Instances Nova has not answered for yet have no id to show a row by.
    servers = [server for server in result.items if server.id
               and name in server.name.lower()
               and (not status or server.status.lower() == status)]
    servers.sort(key=lambda server: (server.cloud, server.name))
    return name_images(servers, names)
