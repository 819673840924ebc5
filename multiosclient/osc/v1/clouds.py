# SPDX-License-Identifier: Apache-2.0
"""openstack federation cloud list|show."""

from osc_lib.cli import format_columns
from osc_lib.command import command

from multiosclient.osc.v1 import common

COLUMNS = (('Name', 'name'), ('State', 'state'),
           ('Latency (ms)', 'latency_ms'), ('Draining', 'draining'),
           ('Reason', 'reason'))
FORMATTERS = {'usage': format_columns.DictColumn}


class ListCloud(command.Lister):
    """List the federated clouds: state, latency and why one is down."""

    def take_action(self, parsed_args):
        return common.rows(self.app.client_manager.federation.clouds.list(),
                           COLUMNS)


class ShowCloud(command.ShowOne):
    """Show a federated cloud, with its quota usage."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('cloud', metavar='<cloud>', help='Cloud name')
        return parser

    def take_action(self, parsed_args):
        return common.show(self.app.client_manager.federation.clouds.get(
            parsed_args.cloud), FORMATTERS)
