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

"""The clouds table: state, latency and quota usage of each cloud."""

from django import template
from django.template import defaultfilters as filters
from django.utils import html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.utils.translation import pgettext_lazy
from horizon import tables

from multios_dashboard import api
from multios_dashboard.dashboards.project.multios_instances \
    import tables as project_tables
from multios_dashboard import policy

#: The ``source`` of a cloud registered through the API.
REGISTERED = "registered"

STATE_CHOICES = (
    ("up", True),
    ("disabled", True),
    ("down", False),
    ("circuit_open", False),
)
STATE_DISPLAY_CHOICES = (
    ("up", pgettext_lazy("State of a cloud", "Up")),
    ("disabled", pgettext_lazy("State of a cloud", "Disabled")),
    ("down", pgettext_lazy("State of a cloud", "Down")),
    ("circuit_open", pgettext_lazy("State of a cloud", "Circuit Open")),
)


class RegisterCloud(tables.LinkAction):
    name = "register"
    verbose_name = _("Register Cloud")
    url = "horizon:admin:multios_clouds:register"
    classes = ("ajax-modal",)
    icon = "plus"
    policy_rules = policy.rules(policy.CLOUDS_CREATE)


def is_registered(cloud):
    """Only clouds registered through the API can be changed here; one of
    a configuration file is changed in that file.
    """
    return cloud.source == REGISTERED


class RemoveCloud(tables.DeleteAction):
    help_text = _("Its servers keep running but are no longer federated.")
    policy_rules = policy.rules(policy.CLOUDS_DELETE)

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Remove Cloud", "Remove Clouds", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Removed Cloud", "Removed Clouds", count)

    def allowed(self, request, cloud=None):
        return cloud is None or is_registered(cloud)

    def delete(self, request, obj_id):
        api.multios.cloud_delete(request, obj_id)


class SetCloudOption(tables.BatchAction):
    """Change one setting of the chosen registered clouds, through the
    API.
    """

    option = None
    value = None
    policy_rules = policy.rules(policy.CLOUDS_UPDATE)

    def shown_for(self, cloud):
        """Whether the action makes sense for ``cloud`` as it is now."""
        raise NotImplementedError

    def allowed(self, request, cloud=None):
        return cloud is None or (is_registered(cloud) and
                                 self.shown_for(cloud))

    def action(self, request, obj_id):
        api.multios.cloud_update(request, obj_id, **{self.option: self.value})


class DisableCloud(SetCloudOption):
    name = "disable"
    classes = ("btn-danger",)
    help_text = _("A disabled cloud is neither queried nor used for "
                  "launches.")
    option, value = "enabled", False

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Disable Cloud", "Disable Clouds", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Disabled Cloud", "Disabled Clouds", count)

    def shown_for(self, cloud):
        return cloud.state != "disabled"


class EnableCloud(SetCloudOption):
    name = "enable"
    option, value = "enabled", True

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Enable Cloud", "Enable Clouds", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Enabled Cloud", "Enabled Clouds", count)

    def shown_for(self, cloud):
        return cloud.state == "disabled"


class DrainCloud(SetCloudOption):
    name = "drain"
    help_text = _("A draining cloud keeps its servers listed and managed "
                  "but takes no new launches.")
    option, value = "draining", True

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Drain Cloud", "Drain Clouds", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Drained Cloud", "Drained Clouds", count)

    def shown_for(self, cloud):
        return not cloud.draining


class UndrainCloud(SetCloudOption):
    name = "undrain"
    option, value = "draining", False

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Stop Draining Cloud", "Stop Draining Clouds",
                             count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Stopped Draining Cloud",
                             "Stopped Draining Clouds", count)

    def shown_for(self, cloud):
        return cloud.draining


def get_source(cloud):
    """Where the cloud is defined; a configured one says where to change
    it, since no action here can.
    """
    if is_registered(cloud):
        return _("Registered")
    return html.format_html(
        '<span class="multios-configured" data-toggle="tooltip" '
        'title="{}"><span class="fa fa-lock"></span> {}</span>',
        _("Defined in %s: change it in that file.") % cloud.source,
        cloud.source)


def usage_bar(resource):
    """A column rendering one resource's quota usage as a progress bar."""
    def render(cloud):
        usage = (cloud.usage or {}).get(resource)
        if not usage:
            return None
        used, limit = usage["used"], usage["limit"]
        if limit is None or limit < 0:  # Nova's "unlimited"
            limit, percent = None, 0
        else:
            percent = min(100, 100 * used / limit) if limit else 100
        return template.loader.render_to_string(
            "admin/multios_clouds/_usage.html",
            {"used": used, "limit": limit, "percent": percent})
    return render


def get_latency(cloud):
    if cloud.latency_ms is None:
        return None
    return _("%d ms") % round(cloud.latency_ms)


class CloudsTable(tables.DataTable):
    name = tables.Column("name", verbose_name=_("Cloud"))
    state = tables.Column("state", verbose_name=_("State"), status=True,
                          status_choices=STATE_CHOICES,
                          display_choices=STATE_DISPLAY_CHOICES)
    draining = tables.Column("draining", verbose_name=_("Draining"),
                             filters=(filters.yesno, filters.capfirst))
    latency = tables.Column(get_latency, verbose_name=_("API Latency"))
    instances = tables.Column(usage_bar("instances"),
                              verbose_name=_("Instances"))
    cores = tables.Column(usage_bar("cores"), verbose_name=_("VCPUs"))
    ram = tables.Column(usage_bar("ram"), verbose_name=_("RAM (MiB)"))
    source = tables.Column(get_source, verbose_name=_("Source"))
    reason = tables.Column("reason", verbose_name=_("Reason"))

    def get_object_id(self, cloud):
        return cloud.name

    class Meta(object):
        name = "clouds"
        verbose_name = _("Clouds")
        status_columns = ["state"]
        table_actions = (RegisterCloud, RemoveCloud)
        row_actions = (DisableCloud, EnableCloud, DrainCloud, UndrainCloud,
                       RemoveCloud)


class AllInstancesFilterAction(tables.FilterAction):
    """Filters the rows in the browser: a tab keeps no server-side filter."""

    name = "all_instances_filter"


class AllInstancesCheckHealth(project_tables.CheckHealth):
    policy_rules = policy.rules(policy.FPING, policy.FPING_ALL_TENANTS)


def get_project(server):
    """The owner's name (a row poll knows only its id)."""
    return getattr(server, "project_name", None) or server.project_id


class AllInstancesTable(project_tables.InstancesTable):
    """Every project's federated instances, with their owner."""

    project = tables.Column(get_project, verbose_name=_("Project"))

    all_tenants = True

    class Meta(object):
        name = "all_instances"
        verbose_name = _("Instances of every project")
        status_columns = ["status", "task"]
        row_class = project_tables.UpdateRow
        table_actions = (AllInstancesCheckHealth,
                         project_tables.DeleteServer,
                         AllInstancesFilterAction)
        row_actions = project_tables.InstancesTable._meta.row_actions
        columns = ("name", "project", "cloud", "status", "task", "state",
                   "addresses", "flavor", "image", "alive", "created")
