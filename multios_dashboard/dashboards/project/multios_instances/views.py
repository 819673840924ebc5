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

from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import forms
from horizon import tables
from horizon import tabs
from horizon.utils import memoized
from openstack_dashboard.dashboards.project.instances import tables \
    as horizon_tables
from openstack_dashboard.utils import filters

from multios_dashboard import api
from multios_dashboard.dashboards.project.multios_instances \
    import forms as project_forms
from multios_dashboard.dashboards.project.multios_instances import servers
from multios_dashboard.dashboards.project.multios_instances \
    import tables as project_tables
from multios_dashboard.dashboards.project.multios_instances \
    import tabs as project_tabs
from multios_dashboard.utils import projects


class IndexView(tables.PagedTableMixin, tables.DataTableView):
    """Pages of API_RESULT_PAGE_SIZE over the API's limit and marker, as
    Horizon's own Instances page pages Nova's.
    """

    table_class = project_tables.InstancesTable
    page_title = _("Instances")

    def get_data(self):
        marker, sort_dir = self._get_marker()
        found, self._has_more_data, self._has_prev_data = servers.page(
            self.request, marker, sort_dir, self.get_filters())
        return found


class LaunchView(forms.ModalFormView):
    """Two steps in one modal: first the placement's plan, then the launch."""

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
                                                 **form.launch_args())
        except Exception:
            exceptions.handle(self.request,
                              _("Unable to rank the clouds."))
            return self.form_invalid(form)
        review = project_forms.Review(form.cleaned_data, ranking)
        # The review renders every field hidden: what is confirmed is
        # exactly what was reviewed, and only as many as fit.
        form.data = form.data.copy()
        form.data["confirmed"] = "True"
        form.data["count"] = str(review.fitting)
        self.submit_label = review.submit_label
        context = self.get_context_data(form=form, review=review)
        return self.render_to_response(context)


class DetailView(tabs.TabView):
    tab_group_class = project_tabs.InstanceDetailTabs
    template_name = "horizon/common/_detail.html"
    redirect_url = "horizon:project:multios_instances:index"
    page_title = "{{ instance.name|default:instance.id }}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instance = self.get_data()
        context["instance"] = instance
        context["url"] = reverse(self.redirect_url)
        context["actions"] = project_tables.InstancesTable(
            self.request).render_row_actions(instance)
        return context

    @memoized.memoized_method
    def get_data(self):
        instance_id = self.kwargs["instance_id"]
        try:
            instance = api.multios.server_get(
                self.request, instance_id,
                cloud=self.request.GET.get("cloud") or None)
        except Exception:
            redirect = reverse(self.redirect_url)
            exceptions.handle(self.request,
                              _('Unable to retrieve details for instance '
                                '"%s".') % instance_id, redirect=redirect)
            raise exceptions.Http302(redirect)
        instance.status_label = filters.get_display_label(
            horizon_tables.STATUS_DISPLAY_CHOICES, instance.status)
        instance.task_label = project_tables.InstancesTable(
            self.request).columns["task"].get_data(instance)
        instance.power_label = filters.get_display_label(
            horizon_tables.POWER_DISPLAY_CHOICES,
            horizon_tables.get_power_state(instance))
        instance.project_name = projects.names(
            self.request, [instance.project_id]).get(instance.project_id)
        servers.name_images([instance], servers.fetch_image_names(
            self.request))
        return instance

    @memoized.memoized_method
    def get_launch(self):
        """The launch that made the instance: what it was launched with
        and the ranking that placed it; None if MultiOS has no record.
        """
        launch_id = self.get_data().launch_id
        if not launch_id:
            return None
        try:
            return api.multios.launch_get(self.request, launch_id)
        except exceptions.NotFound:
            return None  # forgotten since: the attempts remain
        except Exception:
            exceptions.handle(self.request, _("Unable to retrieve the "
                                              "instance's launch."))
            return None

    def get_tabs(self, request, *args, **kwargs):
        return self.tab_group_class(request, instance=self.get_data(),
                                    launch=self.get_launch(), **kwargs)
