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

"""Federated servers as the tables show them, whichever cloud they are on.

A row is a server, or an instance of a launch that Nova has no server for
yet (``id`` None: placing, or launching on a cloud that has not answered
the create yet); such a row is named by its launch and instance name.
"""

import re

from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import messages
from horizon.utils import functions as utils
from multiosclient.v1 import servers as client_servers
from openstack_dashboard.utils import futurist_utils

from multios_dashboard import api

# {"cloud/image id": name} of the images the last page named, per session:
# a row poll names its image from there instead of asking every cloud.
IMAGE_NAMES_SESSION_KEY = 'multios_image_names'
PENDING_PREFIX = 'launch:'


def object_id(server):
    """A row's id: the server's, or ``launch:LAUNCH:NAME`` before Nova
    has one.
    """
    if server.id:
        return server.id
    return '%s%s:%s' % (PENDING_PREFIX, server.launch_id, server.name)


def warn_unavailable(request, result):
    """Name each cloud that did not answer; the others' rows still show."""
    for error in result.errors:
        messages.warning(
            request,
            _("Cloud %(cloud)s is unavailable, its instances are not "
              "shown: %(reason)s") % {"cloud": error["cloud"],
                                      "reason": error["reason"]})


def _image_key(cloud, image_id):
    return '%s/%s' % (cloud, image_id)


def fetch_image_names(request):
    """{"cloud/id": name} of every image, once per page; kept in the
    session for the row polls that follow.
    """
    try:
        images = api.multios.image_list(request)
    except Exception:
        exceptions.handle(request, ignore=True)
        return request.session.get(IMAGE_NAMES_SESSION_KEY, {})
    names = {_image_key(each['cloud'], each['id']): image.name
             for image in images for each in image.clouds}
    request.session[IMAGE_NAMES_SESSION_KEY] = names
    return names


def name_images(servers, names):
    for server in servers:
        server.image_name = names.get(_image_key(server.cloud, server.image),
                                      server.image)
    return servers


def name_image(request, server):
    """Name one row's image from what the page kept: no cloud asked."""
    return name_images([server], request.session.get(
        IMAGE_NAMES_SESSION_KEY, {}))[0]


def api_filters(filters):
    """The API's query of a table's filter: the name as typed (Nova's name
    filter is a regular expression), the status and the cloud.
    """
    query = {}
    if filters.get("name"):
        query["name"] = re.escape(filters["name"])
    for key in ("status", "cloud"):
        if filters.get(key):
            query[key] = filters[key]
    return query


def _list(request, all_tenants, query):
    try:
        return api.multios.server_list(request, all_tenants=all_tenants,
                                       **query)
    except exceptions.BadRequest:
        if query.get("marker"):
            raise  # the caller knows what a gone marker means
        exceptions.handle(request, _("Unable to retrieve instances."))
    except Exception:
        exceptions.handle(request, _("Unable to retrieve instances."))


def list_servers(request, all_tenants=False, filters=None):
    """Every server of every cloud (the admin's tab filters in the browser);
    ``filters``: name, cloud and/or status.
    """
    result, names = futurist_utils.call_functions_parallel(
        (_list, [request, all_tenants, api_filters(filters or {})]),
        (fetch_image_names, [request]))
    if result is None:
        return []
    warn_unavailable(request, result)
    return name_images(list(result), names)


def page(request, marker=None, sort_dir="desc", filters=None):
    """One page of the caller's servers, as Horizon's Instances page pages
    Nova's (``openstack_dashboard.api.nova.server_list_paged``).

    -> (servers, has_more, has_prev). ``sort_dir`` "asc" is the way back
    (Prev), from the first server of the page shown. A marker that names
    no server any more (it was deleted meanwhile) shows the first page.
    """
    query = dict(api_filters(filters or {}),
                 limit=utils.get_page_size(request))
    if marker:
        query.update(marker=marker, sort_dir=sort_dir)
    try:
        result, names = futurist_utils.call_functions_parallel(
            (_list, [request, False, query]),
            (fetch_image_names, [request]))
    except exceptions.BadRequest:  # marker [ID] not found
        return page(request, filters=filters)
    if result is None:
        return [], False, False
    warn_unavailable(request, result)
    servers = name_images(list(result), names)
    more_after = result.next_marker is not None
    if marker and sort_dir == "asc":
        # Oldest first from the marker: shown newest first, and the page
        # it came back from follows it.
        servers.reverse()
        return servers, True, more_after
    return servers, more_after, marker is not None


def _pending(launch_id, item):
    """A row of a launch instance Nova has no server for (yet, or ever)."""
    fault = None
    if item["status"] == "ERROR" and item["attempts"]:
        last = item["attempts"][-1]
        fault = {"message": "%s: %s" % (last["cloud"], last["reason"])}
    return client_servers.Server({
        "id": None, "name": item["name"], "cloud": item["cloud"],
        "status": item["status"], "task": item["task"], "fault": fault,
        "launch_id": launch_id, "addresses": {}, "flavor": None,
        "image": None, "created": None, "project_id": None,
        "user_id": None, "OS-EXT-STS:task_state": None,
        "OS-EXT-STS:power_state": None})


def launch_instance(request, launch_id, name, gone=None):
    """The row of instance ``name`` of a launch, as it is now.

    Its server when Nova has one (asked on its own cloud only), else a
    pending row (no cloud asked); an instance that failed is an Error row
    with its last attempt's reason, and a message naming its launch and
    every attempt. ``gone``: the id of a server known to be gone. NotFound
    when nothing is left to show (cancelled, or its server deleted).
    """
    launch = api.multios.launch_get(request, launch_id)
    item = next((each for each in launch.servers if each["name"] == name),
                None)
    if item is None or item["status"] == "DELETED" or (
            item["status"] == "ACTIVE" and item["id"] == gone):
        raise exceptions.NotFound(_("Instance %s is gone.") % name)
    if item["status"] == "ERROR":
        messages.error(request, _('Launch %(launch)s: "%(name)s" failed: '
                                  '%(reason)s') % {
            "launch": launch_id, "name": name,
            "reason": "; ".join("%(cloud)s: %(reason)s" % attempt
                                for attempt in item["attempts"])})
    elif item["id"] and item["id"] != gone:
        try:
            return name_image(request, api.multios.server_get(
                request, item["id"], cloud=item["cloud"]))
        except exceptions.NotFound:
            if not item["task"]:
                raise  # settled, and its server deleted since
            # Gone while the launch is at it: the server of an attempt
            # that failed, deleted for the next cloud to be tried.
    return _pending(launch_id, item)
