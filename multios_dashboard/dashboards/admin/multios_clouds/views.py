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

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from horizon import forms
from horizon import tabs

from multios_dashboard.dashboards.admin.multios_clouds \
    import forms as clouds_forms
from multios_dashboard.dashboards.admin.multios_clouds \
    import tabs as clouds_tabs


class IndexView(tabs.TabbedTableView):
    tab_group_class = clouds_tabs.FederationTabs
    template_name = "admin/multios_clouds/index.html"
    page_title = _("Clouds")


class RegisterView(forms.ModalFormView):
    form_class = clouds_forms.RegisterCloudForm
    form_id = "register_cloud_form"
    modal_id = "register_cloud_modal"
    modal_header = _("Register Cloud")
    template_name = "admin/multios_clouds/register.html"
    submit_url = reverse_lazy("horizon:admin:multios_clouds:register")
    success_url = reverse_lazy("horizon:admin:multios_clouds:index")
    submit_label = _("Register")
    page_title = _("Register Cloud")
