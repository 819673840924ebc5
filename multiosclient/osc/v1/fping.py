# SPDX-License-Identifier: Apache-2.0
"""openstack federation fping."""

from osc_lib.command import command

from multiosclient.osc.v1 import common

COLUMNS = (('ID', 'id'), ('Cloud', 'cloud'), ('Project ID', 'project_id'),
           ('Alive', 'alive'))


class Fping(command.Lister):
    """Tell which of your servers answer ping."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('server', metavar='<server>', nargs='?',
                            help='This server only (name or ID)')
        parser.add_argument('--all-projects', action='store_true',
                            help='Servers of every project (admin only)')
        parser.add_argument('--include', metavar='<server-id>',
                            action='append',
                            help='Only this server (repeat for several)')
        parser.add_argument('--exclude', metavar='<server-id>',
                            action='append',
                            help='Not this server (repeat for several)')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.federation
        if parsed_args.server:
            found = common.find_server(client, parsed_args.server)
            return common.rows([client.fping.get(found.id)], COLUMNS)
        answers = client.fping.list(all_tenants=parsed_args.all_projects,
                                    include=parsed_args.include,
                                    exclude=parsed_args.exclude)
        common.warn_errors(answers)
        return common.rows(answers, COLUMNS)
