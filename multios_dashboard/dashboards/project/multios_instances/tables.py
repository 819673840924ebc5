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

"""The federated instances table: one row per server, whatever its cloud."""

from django import shortcuts
from django import template
from django.template.defaultfilters import title
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import exceptions
from horizon import messages
from horizon import tables
from horizon.utils import filters

from multios_dashboard import api
from multios_dashboard.dashboards.project.multios_instances import servers

# Where the last health check's answers are kept, per browser session.
ALIVE_SESSION_KEY = 'multios_alive'

STATUS_CHOICES = (
    ("active", True),
    ("shutoff", True),
    ("suspended", True),
    ("paused", True),
    ("shelved", True),
    ("shelved_offloaded", True),
    ("rescue", True),
    ("error", False),
)


class LaunchLink(tables.LinkAction):
    name = "launch"
    verbose_name = _("Launch")
    url = "horizon:project:multios_instances:launch"
    classes = ("ajax-modal", "btn-launch")
    icon = "cloud-upload"


class DeleteServer(tables.DeleteAction):
    help_text = _("Deleted instances are not recoverable.")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Delete Instance", "Delete Instances", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Scheduled deletion of Instance",
                             "Scheduled deletion of Instances", count)

    def delete(self, request, obj_id):
        api.multios.server_delete(request, obj_id)


class CheckHealth(tables.Action):
    """Ping the selected servers (all of them if none is selected)."""

    name = "check_health"
    verbose_name = _("Check Health")
    verbose_name_plural = _("Check Health")
    icon = "heartbeat"
    requires_input = False
    handles_multiple = True

    def handle(self, data_table, request, object_ids):
        try:
            answers = api.multios.health_check(
                request, server_ids=object_ids or None,
                all_tenants=data_table.all_tenants)
        except Exception:
            exceptions.handle(request, _("Unable to check health."))
            return shortcuts.redirect(request.get_full_path())
        alive = dict(request.session.get(ALIVE_SESSION_KEY, {}))
        alive.update((answer["id"], answer["alive"]) for answer in answers)
        request.session[ALIVE_SESSION_KEY] = alive
        answering = sum(1 for answer in answers if answer["alive"])
        messages.success(request, _("%(alive)d of %(total)d instances "
                                    "answer ping.")
                         % {"alive": answering, "total": len(answers)})
        return shortcuts.redirect(request.get_full_path())


class ServersFilterAction(tables.FilterAction):
    filter_type = "server"
    filter_choices = (("name", _("Name ="), True),
                      ("cloud", _("Cloud ="), True),
                      ("status", _("Status ="), True))


class UpdateRow(tables.Row):
    """Refresh rows still building, as Horizon's instances table does."""

    ajax = True

    def get_data(self, request, server_id):
        server = api.multios.server_get(request, server_id)
        return servers.name_images([server], servers.image_names(request))[0]


def get_addresses(server):
    networks = {network: [address["addr"] for address in addresses]
                for network, addresses in (server.addresses or {}).items()}
    return template.loader.render_to_string(
        "project/multios_instances/_addresses.html", {"networks": networks})


ALIVE_DISPLAY = {True: _("Yes"), False: _("No")}


class AliveColumn(tables.Column):
    """Whether the server answered the session's last health check."""

    def get_raw_data(self, server):
        return ALIVE_DISPLAY.get(self.table.alive.get(server.id))


class InstancesTable(tables.DataTable):
    name = tables.WrappingColumn("name", verbose_name=_("Instance Name"))
    cloud = tables.Column("cloud", verbose_name=_("Cloud"))
    status = tables.Column("status",
                           filters=(title,
                                    filters.replace_underscores),
                           verbose_name=_("Status"),
                           status=True,
                           status_choices=STATUS_CHOICES)
    addresses = tables.Column(get_addresses, verbose_name=_("IP Address"),
                              attrs={"data-type": "ip"})
    flavor = tables.Column("flavor", verbose_name=_("Flavor"))
    image = tables.Column("image_name", verbose_name=_("Image Name"))
    alive = AliveColumn("alive", verbose_name=_("Alive"),
                        empty_value=_("Unknown"))
    created = tables.Column("created",
                            verbose_name=_("Age"),
                            filters=(filters.parse_isotime,
                                     filters.timesince_sortable),
                            attrs={"data-type": "timesince"})

    # The admin's table lists every project; the project's only its own.
    all_tenants = False

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.alive = request.session.get(ALIVE_SESSION_KEY, {})

    class Meta(object):
        name = "instances"
        verbose_name = _("Instances")
        status_columns = ["status"]
        row_class = UpdateRow
        table_actions = (LaunchLink, CheckHealth, DeleteServer,
                         ServersFilterAction)
        row_actions = (CheckHealth, DeleteServer)
