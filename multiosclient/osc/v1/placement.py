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
        parser.add_argument('--flavor', metavar='<flavor>', required=True,
                            help='Flavor (name on every cloud, or ID)')
        parser.add_argument('--image', metavar='<image>', required=True,
                            help='Image (name on every cloud, or ID)')
        parser.add_argument('--count', metavar='<count>', type=int,
                            default=1, help='Number of servers (default 1)')
        parser.add_argument('--cloud', metavar='<cloud>',
                            help='Only this cloud')
        return parser

    def take_action(self, parsed_args):
        ranking = self.app.client_manager.federation.placement.rank(
            parsed_args.name, parsed_args.flavor, parsed_args.image,
            count=parsed_args.count, cloud=parsed_args.cloud)
        return common.show(ranking, FORMATTERS)
