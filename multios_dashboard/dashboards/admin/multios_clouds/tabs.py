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

from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import tabs

from multios_dashboard import api
from multios_dashboard.dashboards.admin.multios_clouds \
    import tables as clouds_tables
from multios_dashboard.dashboards.project.multios_instances \
    import servers as project_servers
from multios_dashboard.utils import projects


class CloudsTab(tabs.TableTab):
    name = _("Clouds")
    slug = "clouds"
    table_classes = (clouds_tables.CloudsTable,)
    template_name = "horizon/common/_detail_table.html"

    def get_clouds_data(self):
        try:
            return api.multios.cloud_list(self.request)
        except Exception:
            exceptions.handle(self.request,
                              _("Unable to retrieve the clouds."))
            return []


class InstancesTab(tabs.TableTab):
    name = _("Instances")
    slug = "instances"
    table_classes = (clouds_tables.AllInstancesTable,)
    template_name = "horizon/common/_detail_table.html"
    # Every project's servers of every cloud: fetched when the tab opens.
    preload = False

    def get_all_instances_data(self):
        servers = project_servers.list_servers(self.request,
                                               all_tenants=True)
        names = projects.names(self.request,
                               [server.project_id for server in servers])
        for server in servers:
            server.project_name = names.get(server.project_id,
                                            server.project_id)
        return servers


class FederationTabs(tabs.TabGroup):
    slug = "federation"
    tabs = (CloudsTab, InstancesTab)
    sticky = True
