# SPDX-License-Identifier: Apache-2.0
"""openstack federation launch list|show|cancel."""

from osc_lib.cli import format_columns
from osc_lib.command import command

from multiosclient.osc.v1 import common

COLUMNS = (('ID', 'id'), ('Name', 'name'), ('Status', 'status'),
           ('Count', 'count'), ('Created At', 'created_at'),
           ('Reason', 'reason'))
FORMATTERS = {'servers': format_columns.ListDictColumn}


class ListLaunch(command.Lister):
    """List your launches, newest first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--all-projects', action='store_true',
                            help='Launches of every project (admin only)')
        return parser

    def take_action(self, parsed_args):
        return common.rows(
            self.app.client_manager.federation.launches.list(
                all_tenants=parsed_args.all_projects), COLUMNS)


class _OneLaunch(command.ShowOne):

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('launch', metavar='<launch>', help='Launch ID')
        return parser


class ShowLaunch(_OneLaunch):
    """Show a launch: its status and every attempt of its servers."""

    def take_action(self, parsed_args):
        return common.show(self.app.client_manager.federation.launches.get(
            parsed_args.launch), FORMATTERS)


class CancelLaunch(_OneLaunch):
    """Cancel a launch: no further attempts, what it made is deleted."""

    def take_action(self, parsed_args):
        return common.show(
            self.app.client_manager.federation.launches.cancel(
                parsed_args.launch), FORMATTERS)
