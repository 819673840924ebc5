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
from horizon import exceptions
from horizon import forms
from horizon import tables

from multios_dashboard import api
from multios_dashboard.dashboards.project.multios_instances \
    import forms as project_forms
from multios_dashboard.dashboards.project.multios_instances import servers
from multios_dashboard.dashboards.project.multios_instances \
    import tables as project_tables


class IndexView(tables.DataTableView):
    table_class = project_tables.InstancesTable
    page_title = _("Instances")

    def get_data(self):
        return servers.list_servers(self.request,
                                    filters=self.get_filters())


class LaunchView(forms.ModalFormView):
    """Two steps in one modal: first the ranking, then the launch."""

    form_class = project_forms.LaunchForm
    form_id = "launch_form"
    modal_id = "launch_modal"
    modal_header = _("Launch Instance")
    template_name = "project/multios_instances/launch.html"
    submit_url = reverse_lazy("horizon:project:multios_instances:launch")
    success_url = reverse_lazy("horizon:project:multios_instances:index")
    submit_label = _("Review Placement")
    page_title = _("Launch Instance")

    def form_valid(self, form):
        if form.cleaned_data["confirmed"]:
            return super().form_valid(form)
        return self.review(form)

    def review(self, form):
        try:
            ranking = api.multios.placement_rank(self.request,
                                                 form.launch_request())
        except Exception:
            exceptions.handle(self.request,
                              _("Unable to rank the clouds."))
            return self.form_invalid(form)
        # The review renders every field hidden: what is confirmed is
        # exactly what was ranked.
        form.data = form.data.copy()
        form.data["confirmed"] = "True"
        self.submit_label = _("Launch")
        context = self.get_context_data(form=form, ranking=ranking)
        return self.render_to_response(context)
