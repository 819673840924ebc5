# SPDX-License-Identifier: Apache-2.0
"""openstack federation placement show."""

from osc_lib.cli import format_columns
from osc_lib.command import command

from multiosclient.osc.v1 import common

FORMATTERS = {'ranked': format_columns.ListDictColumn,
              'rejected': format_columns.ListDictColumn,
              'plan': format_columns.ListColumn,
              'unplaced': format_columns.ListDictColumn}


class ShowPlacement(command.ShowOne):
    """Show how the clouds rank for a launch; creates nothing."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<server-name>',
                            help='Server name of the launch')
        return common.add_launch_arguments(parser)

    def take_action(self, parsed_args):
        ranking = self.app.client_manager.federation.placement.rank(
            parsed_args.name, parsed_args.flavor, parsed_args.image,
            **common.launch_spec(parsed_args))
        return common.show(ranking, FORMATTERS)
