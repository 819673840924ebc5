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

"""The tabs of an instance's detail page, as Horizon's, and Placement:
where the launch put it, why there, and every cloud it tried before."""

from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import tabs
from openstack_dashboard.utils import settings as settings_utils

from multios_dashboard import api
from multios_dashboard import policy


class OverviewTab(tabs.Tab):
    name = _("Overview")
    slug = "overview"
    template_name = "project/multios_instances/_detail_overview.html"

    def get_context_data(self, request):
        launch = self.tab_group.kwargs["launch"]
        return {"instance": self.tab_group.kwargs["instance"],
                "security_groups": getattr(launch, "security_groups", None)}


class PlacementTab(tabs.Tab):
    name = _("Placement")
    slug = "placement"
    template_name = "project/multios_instances/_detail_placement.html"

    def get_context_data(self, request):
        instance = self.tab_group.kwargs["instance"]
        launch = self.tab_group.kwargs["launch"]
        return {"instance": instance,
                "ranking": getattr(launch, "placement", None),
                "attempts": getattr(instance, "attempts", None) or []}


class LogTab(tabs.Tab):
    name = _("Log")
    slug = "log"
    template_name = "project/multios_instances/_detail_log.html"
    preload = False

    def allowed(self, request):
        """As the API's policy judges the console of this server (a reader
        may not see it: it can show secrets).
        """
        instance = self.tab_group.kwargs["instance"]
        return policy.allowed(request, policy.SERVERS_CONSOLE_OUTPUT,
                              target={"project_id": instance.project_id,
                                      "user_id": instance.user_id})

    def get_context_data(self, request):
        instance = self.tab_group.kwargs["instance"]
        log_length = settings_utils.get_log_length(request)
        try:
            data = api.multios.server_console_output(
                request, instance.id, tail_length=log_length)
        except Exception:
            data = _('Unable to get log for instance "%s".') % instance.id
            exceptions.handle(request, ignore=True)
        return {"instance": instance, "console_log": data,
                "log_length": log_length}


class InstanceDetailTabs(tabs.DetailTabsGroup):
    slug = "instance_details"
    tabs = (OverviewTab, PlacementTab, LogTab)
    sticky = True
