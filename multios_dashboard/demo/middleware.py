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

"""The demo's Horizon says where federated servers are."""

from django import urls
from django.utils.translation import gettext_lazy as _
from horizon import messages
from horizon.utils import http as http_utils

HINT = _("This page lists the servers of the home cloud's project only. "
         "Servers launched through MultiOS, on every cloud, are in "
         "Project › Federation › Instances.")


class FederatedInstancesHint(object):
    """Horizon's own Instances page, in the demo, points to the federated
    one: the demo user's servers are there, not in the home cloud.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.method == 'GET' and not http_utils.is_ajax(request) and
                request.path == urls.reverse(
                    'horizon:project:instances:index')):
            messages.info(request, HINT)
        return self.get_response(request)
