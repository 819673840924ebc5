# SPDX-License-Identifier: Apache-2.0
"""openstack federation server list|show|create|delete|start|stop|reboot."""

import time

from osc_lib.cli import format_columns
from osc_lib.command import command

from multiosclient.osc.v1 import common

COLUMNS = (('ID', 'id'), ('Name', 'name'), ('Cloud', 'cloud'),
           ('Status', 'status'), ('Power State', 'OS-EXT-STS:power_state'),
           ('Task State', 'OS-EXT-STS:task_state'), ('Task', 'task'))
LONG_COLUMNS = COLUMNS + (('Networks', 'addresses'), ('Flavor', 'flavor'),
                          ('Image', 'image'), ('Launch', 'launch_id'),
                          ('Created', 'created'))
FORMATTERS = {'OS-EXT-STS:power_state': common.PowerStateColumn,
              'addresses': format_columns.DictColumn,
              'attempts': format_columns.ListDictColumn,
              'fault': format_columns.DictColumn,
              'servers': format_columns.ListDictColumn}
#: Seconds between two looks at a launch under --wait.
WAIT_INTERVAL = 2


class ListServer(command.Lister):
    """List your servers on every cloud, newest first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--name', metavar='<name-regex>',
                            help='Servers whose name matches this regular '
                                 'expression (case ignored)')
        parser.add_argument('--status', metavar='<status>', action='append',
                            help='Servers in this status (repeat for '
                                 'several)')
        parser.add_argument('--cloud', metavar='<cloud>',
                            help='Servers of this cloud only')
        parser.add_argument('--all-projects', action='store_true',
                            help='Servers of every project (admin only)')
        parser.add_argument('--limit', metavar='<num-servers>', type=int,
                            help='The most servers to show: one page')
        parser.add_argument('--marker', metavar='<server>',
                            help='The last server of the previous page')
        parser.add_argument('--long', action='store_true',
                            help='Show networks, flavor, image, launch and '
                                 'creation time too')
        return parser

    def take_action(self, parsed_args):
        servers = self.app.client_manager.federation.servers.list(
            all_tenants=parsed_args.all_projects, cloud=parsed_args.cloud,
            name=parsed_args.name, status=parsed_args.status,
            limit=parsed_args.limit, marker=parsed_args.marker)
        common.warn_errors(servers)
        return common.rows(servers, LONG_COLUMNS if parsed_args.long
                           else COLUMNS, FORMATTERS)


def _server_argument(parser, nargs=None):
    parser.add_argument('server', metavar='<server>', nargs=nargs,
                        help='Server (name or ID)' if nargs is None
                        else 'Server(s) (name or ID)')
    return parser


class ShowServer(command.ShowOne):
    """Show a server, with the attempts of the launch that made it."""

    def get_parser(self, prog_name):
        return _server_argument(super().get_parser(prog_name))

    def take_action(self, parsed_args):
        client = self.app.client_manager.federation
        found = common.find_server(client, parsed_args.server)
        return common.show(client.servers.get(found.id), FORMATTERS)


class CreateServer(command.ShowOne):
    """Launch servers on the clouds the placement chooses (shows the
    launch).
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<server-name>',
                            help='New server name')
        common.add_launch_arguments(parser)
        parser.add_argument('--wait', action='store_true',
                            help='Wait until the launch has ended')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.federation
        launch = client.servers.create(
            parsed_args.name, parsed_args.flavor, parsed_args.image,
            **common.launch_spec(parsed_args))
        while parsed_args.wait and launch.status == 'building':
            time.sleep(WAIT_INTERVAL)
            launch = client.launches.get(launch.id)
        return common.show(launch, FORMATTERS)


class DeleteServer(command.Command):
    """Delete servers."""

    def get_parser(self, prog_name):
        return _server_argument(super().get_parser(prog_name), nargs='+')

    def take_action(self, parsed_args):
        client = self.app.client_manager.federation
        for name_or_id in parsed_args.server:
            client.servers.delete(common.find_server(client, name_or_id).id)


class _EachServer(command.Command):
    """A command of one action on each server named."""

    def get_parser(self, prog_name):
        return _server_argument(super().get_parser(prog_name), nargs='+')

    def take_action(self, parsed_args):
        client = self.app.client_manager.federation
        for name_or_id in parsed_args.server:
            self.act(client, common.find_server(client, name_or_id).id)


class StartServer(_EachServer):
    """Start servers."""

    @staticmethod
    def act(client, server_id):
        client.servers.start(server_id)


class StopServer(_EachServer):
    """Stop servers."""

    @staticmethod
    def act(client, server_id):
        client.servers.stop(server_id)


class RebootServer(command.Command):
    """Reboot a server (soft by default)."""

    def get_parser(self, prog_name):
        parser = _server_argument(super().get_parser(prog_name))
        group = parser.add_mutually_exclusive_group()
        group.add_argument('--hard', dest='reboot_type', action='store_const',
                           const='HARD', default='SOFT',
                           help='Perform a hard reboot')
        group.add_argument('--soft', dest='reboot_type', action='store_const',
                           const='SOFT', help='Perform a soft reboot')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.federation
        client.servers.reboot(
            common.find_server(client, parsed_args.server).id,
            parsed_args.reboot_type)
