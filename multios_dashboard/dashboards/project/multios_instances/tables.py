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

"""The federated instances table: one row per server, whatever its cloud.

Modelled on Horizon's own (``openstack_dashboard.dashboards.project.
instances.tables``), whose status, task and power choices it shows: rows
with a task poll themselves until it is done, each poll asking the
server's own cloud only, and every action is shown only where the server's
state and the API's policy allow it.
"""

import re
import urllib.parse

from django import shortcuts
from django import template
from django.template.defaultfilters import title
from django import urls
from django.utils import html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.utils.translation import npgettext_lazy
from horizon import exceptions
from horizon import messages
from horizon import tables
from horizon.utils import filters
from openstack_dashboard.dashboards.project.instances import tables \
    as horizon_tables

from multios_dashboard import api
from multios_dashboard.dashboards.project.multios_instances import servers
from multios_dashboard import policy

# Where the last health check's answers are kept, per browser session.
ALIVE_SESSION_KEY = 'multios_alive'

# The states in which an action makes sense, as Horizon's.
ACTIVE_STATES = horizon_tables.ACTIVE_STATES
STOPPED_STATES = ("SHUTDOWN", "SHUTOFF", "CRASHED")

# MultiOS's own tasks (an instance of a launch that has not settled), as
# the API words them: "placing", "launching on beta, attempt 2 of 3",
# "deleting on beta", "deleting".
_LAUNCHING = re.compile(r'^launching on (?P<cloud>.+), attempt '
                        r'(?P<attempt>\d+) of (?P<attempts>\d+)$')
_DELETING_ON = re.compile(r'^deleting on (?P<cloud>.+)$')


def task_display(task):
    """A MultiOS task in the user's language."""
    if task == 'placing':
        return _("Placing")
    if task == 'deleting':
        return _("Deleting")
    launching = _LAUNCHING.match(task)
    if launching:
        return _("Launching on %(cloud)s, attempt %(attempt)s of "
                 "%(attempts)s") % launching.groupdict()
    deleting = _DELETING_ON.match(task)
    if deleting:
        return _("Deleting on %(cloud)s") % deleting.groupdict()
    return task


def is_pending(server):
    """An instance Nova has no server for yet: nothing to act on."""
    return server.id is None


def is_deleting(server):
    return (horizon_tables.is_deleting(server) or
            (server.task or '').startswith('deleting'))


def in_progress(server):
    """A launch or Nova is still at work on it."""
    return bool(server.task or getattr(server, 'OS-EXT-STS:task_state',
                                       None))


class LaunchLink(tables.LinkAction):
    name = "launch"
    verbose_name = _("Launch Instance")
    url = "horizon:project:multios_instances:launch"
    classes = ("ajax-modal", "btn-launch")
    icon = "cloud-upload"
    policy_rules = policy.rules(policy.SERVERS_CREATE)


class DeleteServer(policy.ServerTargetMixin, tables.DeleteAction):
    policy_rules = policy.rules(policy.SERVERS_DELETE)
    help_text = _("Deleted instances are not recoverable.")
    default_message_level = "info"

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Delete Instance", "Delete Instances", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Scheduled deletion of Instance",
                             "Scheduled deletion of Instances", count)

    def allowed(self, request, server=None):
        if server is None:
            return True
        return not is_pending(server) and (server.status == 'ERROR' or
                                           not is_deleting(server))

    def delete(self, request, obj_id):
        api.multios.server_delete(request, obj_id)


class ServerBatchAction(policy.ServerTargetMixin, tables.BatchAction):
    """A Nova action on each chosen server, on its own cloud."""

    def allowed(self, request, server=None):
        return server is None or (not is_pending(server) and
                                  self.allowed_in(server))

    def allowed_in(self, server):
        raise NotImplementedError


class StartServer(ServerBatchAction):
    name = "start"
    classes = ('btn-confirm',)
    policy_rules = policy.rules(policy.SERVERS_START)

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Start Instance", "Start Instances", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Started Instance", "Started Instances", count)

    def allowed_in(self, server):
        return server.status in STOPPED_STATES and not in_progress(server)

    def action(self, request, obj_id):
        api.multios.server_start(request, obj_id)


class StopServer(ServerBatchAction):
    name = "stop"
    policy_rules = policy.rules(policy.SERVERS_STOP)
    help_text = _("The instance(s) will be shut off.")
    action_type = "danger"

    @staticmethod
    def action_present(count):
        return npgettext_lazy(
            "Action to perform (the instance is currently running)",
            "Shut Off Instance", "Shut Off Instances", count)

    @staticmethod
    def action_past(count):
        return npgettext_lazy(
            "Past action (the instance is currently already Shut Off)",
            "Shut Off Instance", "Shut Off Instances", count)

    def allowed_in(self, server):
        return (horizon_tables.get_power_state(server) in
                ("RUNNING", "SUSPENDED") and not in_progress(server))

    def action(self, request, obj_id):
        api.multios.server_stop(request, obj_id)


class HardRebootServer(ServerBatchAction):
    name = "reboot"
    classes = ('btn-reboot',)
    policy_rules = policy.rules(policy.SERVERS_REBOOT)
    help_text = _("Restarted instances will lose any data not saved in "
                  "persistent storage.")
    action_type = "danger"

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Hard Reboot Instance",
                             "Hard Reboot Instances", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Hard Rebooted Instance",
                             "Hard Rebooted Instances", count)

    def allowed_in(self, server):
        return (server.status in ACTIVE_STATES + ("SHUTOFF",) and
                not is_deleting(server))

    def action(self, request, obj_id):
        api.multios.server_reboot(request, obj_id, soft_reboot=False)


class SoftRebootServer(HardRebootServer):
    name = "soft_reboot"
    help_text = _("The instance's own operating system restarts it.")
    action_type = "default"

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Soft Reboot Instance",
                             "Soft Reboot Instances", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Soft Rebooted Instance",
                             "Soft Rebooted Instances", count)

    def allowed_in(self, server):
        return server.status in ACTIVE_STATES and not in_progress(server)

    def action(self, request, obj_id):
        api.multios.server_reboot(request, obj_id, soft_reboot=True)


def detail_url(server):
    """The detail page; it asks the server's own cloud only."""
    return '%s?%s' % (
        urls.reverse("horizon:project:multios_instances:detail",
                     args=(server.id,)),
        urllib.parse.urlencode({"cloud": server.cloud}))


class LogLink(policy.ServerTargetMixin, tables.LinkAction):
    name = "log"
    verbose_name = _("View Log")
    classes = ("btn-log",)
    policy_rules = policy.rules(policy.SERVERS_CONSOLE_OUTPUT)

    def allowed(self, request, server=None):
        return (server is not None and not is_pending(server) and
                server.status in ACTIVE_STATES and not is_deleting(server))

    def get_link_url(self, server):
        return detail_url(server) + "&tab=instance_details__log"


class CheckHealth(tables.Action):
    """Ping the selected servers (all of them if none is selected)."""

    name = "check_health"
    verbose_name = _("Check Health")
    verbose_name_plural = _("Check Health")
    icon = "heartbeat"
    requires_input = False
    handles_multiple = True
    policy_rules = policy.rules(policy.FPING)

    def allowed(self, request, server=None):
        return server is None or not is_pending(server)

    def handle(self, data_table, request, object_ids):
        object_ids = [i for i in object_ids
                      if not i.startswith(servers.PENDING_PREFIX)]
        try:
            answers = api.multios.health_check(
                request, server_ids=object_ids or None,
                all_tenants=data_table.all_tenants)
        except exceptions.HorizonException as exc:
            # fping missing, rate limited (with the time to wait), the
            # API or every cloud down: nothing was pinged, and why.
            messages.info(request, _("No instance was pinged: %s") % exc)
            return shortcuts.redirect(request.get_full_path())
        alive = dict(request.session.get(ALIVE_SESSION_KEY, {}))
        alive.update((answer.id, answer.alive) for answer in answers)
        request.session[ALIVE_SESSION_KEY] = alive
        report_health(request, answers)
        return shortcuts.redirect(request.get_full_path())


def report_health(request, answers):
    """Success only when every instance asked answers; a warning names
    those that do not, an info line why some could not be asked.
    """
    for error in answers.errors:
        messages.info(request, _("The instances on %(cloud)s were not "
                                 "pinged: %(reason)s") % error)
    answering = sum(1 for answer in answers if answer.alive)
    counts = {"alive": answering, "total": len(answers)}
    if not answers:
        if not answers.errors:
            messages.info(request, _("No instance to ping."))
    elif answering == len(answers):
        messages.success(request, _("%(alive)d of %(total)d instances "
                                    "answer ping.") % counts)
    else:
        messages.warning(request, _("Only %(alive)d of %(total)d instances "
                                    "answer ping.") % counts)


class ServersFilterAction(tables.FilterAction):
    filter_type = "server"
    filter_choices = (("name", _("Instance Name ="), True),
                      ("cloud", _("Cloud ="), True),
                      ("status", _("Status ="), True))


class UpdateRow(tables.Row):
    """A row with a task polls itself, as in Horizon's instances table.

    Its poll names the server's cloud, so only that cloud is asked; a row
    of a launch also names its launch and instance, so that it follows the
    instance when Nova has a server for it, or a next cloud has one.
    """

    ajax = True

    def get_ajax_update_url(self):
        url = super().get_ajax_update_url()
        server = self.datum
        params = {"cloud": server.cloud} if server.cloud else {}
        if server.launch_id:
            params.update(launch=server.launch_id, name=server.name)
        if not params:
            return url
        return '%s&%s' % (url, urllib.parse.urlencode(params))

    def get_data(self, request, obj_id):
        launch_id = request.GET.get("launch")
        name = request.GET.get("name")
        if obj_id.startswith(servers.PENDING_PREFIX):
            return servers.launch_instance(request, launch_id, name)
        try:
            server = api.multios.server_get(
                request, obj_id, cloud=request.GET.get("cloud") or None)
        except exceptions.NotFound:
            if not launch_id:
                raise
            # Gone: its launch may have moved the instance to a next cloud.
            return servers.launch_instance(request, launch_id, name,
                                           gone=obj_id)
        return servers.name_image(request, server)


def get_addresses(server):
    networks = {network: [address["addr"] for address in addresses]
                for network, addresses in (server.addresses or {}).items()}
    return template.loader.render_to_string(
        "project/multios_instances/_addresses.html", {"networks": networks})


def get_task(server):
    """MultiOS's task while a launch is at it, else Nova's."""
    return server.task or getattr(server, "OS-EXT-STS:task_state", None)


def fault_message(server):
    return (getattr(server, "fault", None) or {}).get("message")


class TaskColumn(tables.Column):
    """Nova's tasks in Horizon's words, MultiOS's in the same tongue."""

    def get_data(self, server):
        if server.task:
            return task_display(server.task)
        return super().get_data(server)


class StatusColumn(tables.Column):
    """Horizon's status, with the fault of an instance in error."""

    def get_data(self, server):
        shown = super().get_data(server)
        fault = fault_message(server)
        if server.status == "ERROR" and fault:
            return html.format_html(
                '{}<br><small class="text-danger multios-fault">{}</small>',
                shown, fault)
        return shown


ALIVE_DISPLAY = {True: _("Yes"), False: _("No")}


class AliveColumn(tables.Column):
    """Whether the server answered the session's last health check."""

    def get_raw_data(self, server):
        return ALIVE_DISPLAY.get(self.table.alive.get(server.id))


def get_detail_link(server):
    return None if is_pending(server) else detail_url(server)


class InstancesTable(tables.DataTable):
    TASK_STATUS_CHOICES = horizon_tables.InstancesTable.TASK_STATUS_CHOICES
    STATUS_CHOICES = horizon_tables.InstancesTable.STATUS_CHOICES

    name = tables.WrappingColumn("name", link=get_detail_link,
                                 verbose_name=_("Instance Name"))
    cloud = tables.Column("cloud", verbose_name=_("Cloud"))
    image = tables.Column("image_name", verbose_name=_("Image Name"))
    addresses = tables.Column(get_addresses, verbose_name=_("IP Address"),
                              attrs={"data-type": "ip"})
    flavor = tables.Column("flavor", verbose_name=_("Flavor"))
    status = StatusColumn(
        "status", filters=(title, filters.replace_underscores),
        verbose_name=_("Status"), status=True,
        status_choices=STATUS_CHOICES,
        display_choices=horizon_tables.STATUS_DISPLAY_CHOICES)
    task = TaskColumn(
        get_task, verbose_name=_("Task"),
        empty_value=horizon_tables.TASK_DISPLAY_NONE, status=True,
        status_choices=TASK_STATUS_CHOICES,
        display_choices=horizon_tables.TASK_DISPLAY_CHOICES)
    state = tables.Column(
        horizon_tables.get_power_state,
        filters=(title, filters.replace_underscores),
        verbose_name=_("Power State"),
        display_choices=horizon_tables.POWER_DISPLAY_CHOICES)
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

    def get_object_id(self, server):
        return servers.object_id(server)

    def get_object_display(self, server):
        return server.name

    def can_be_selected(self, server):
        return not is_pending(server)

    def calculate_row_status(self, statuses):
        """A row is pending while it has a task, even in ERROR: a launch
        deletes a server in error and tries the next cloud.
        """
        if "task" in statuses and statuses["task"] is None:
            return None
        return super().calculate_row_status(statuses)

    class Meta(object):
        name = "instances"
        verbose_name = _("Instances")
        status_columns = ["status", "task"]
        row_class = UpdateRow
        table_actions_menu = (StartServer, StopServer, SoftRebootServer)
        table_actions = (LaunchLink, CheckHealth, DeleteServer,
                         ServersFilterAction)
        row_actions = (StartServer, LogLink, CheckHealth, SoftRebootServer,
                       HardRebootServer, StopServer, DeleteServer)
