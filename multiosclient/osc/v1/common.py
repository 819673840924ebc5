# SPDX-License-Identifier: Apache-2.0
"""What the commands share: columns, partial results, finding servers."""

import logging
import re

from cliff import columns as cliff_columns
from osc_lib import exceptions
from oslo_utils import uuidutils

from multiosclient import exceptions as client_exceptions

LOG = logging.getLogger(__name__)


class PowerStateColumn(cliff_columns.FormattableColumn):
    """Nova's power state: its name in a table, its number in JSON, as
    ``openstack server show``.
    """

    NAMES = ['NOSTATE', 'Running', '', 'Paused', 'Shutdown', '', 'Crashed',
             'Suspended']

    def human_readable(self):
        try:
            return self.NAMES[self._value]
        except (IndexError, TypeError):
            return 'N/A'


def rows(items, columns, formatters=None):
    """``(headers, rows)`` of a Lister; ``columns``: (header, key) pairs."""
    return ([header for header, _key in columns],
            [row(item, columns, formatters) for item in items])


def row(item, columns, formatters=None):
    """One item's values for ``columns`` ((header, key) pairs)."""
    formatters = formatters or {}
    data = item.to_dict() if hasattr(item, 'to_dict') else item
    return tuple(formatters[key](data.get(key)) if key in formatters
                 else data.get(key) for _header, key in columns)


def show(item, formatters=None):
    """``(keys, values)`` of a ShowOne: every field, sorted."""
    data = item.to_dict()
    keys = sorted(data)
    return keys, row(data, [(key, key) for key in keys], formatters)


def warn_errors(result):
    """Name each cloud missing from a federated answer, on stderr."""
    for error in getattr(result, 'errors', ()):
        LOG.warning('Cloud %s did not answer: %s', error['cloud'],
                    error['reason'])


def find_server(client, name_or_id):
    """The server of an id, or of the one name (as OSC finds resources)."""
    if uuidutils.is_uuid_like(name_or_id):
        try:
            return client.servers.get(name_or_id)
        except client_exceptions.NotFound:
            pass
    # The API's name filter ignores case; OSC's names do not.
    found = [server for server in client.servers.list(
        name='^%s$' % re.escape(name_or_id)) if server.name == name_or_id]
    if len(found) > 1:
        raise exceptions.CommandError(
            'More than one server exists with the name %s.' % name_or_id)
    if not found or found[0].id is None:
        raise exceptions.CommandError(
            'No server with a name or ID of %s exists.' % name_or_id)
    return found[0]


def add_launch_arguments(parser):
    """What a launch boots (``server create``, ``placement show``)."""
    parser.add_argument('--flavor', metavar='<flavor>', required=True,
                        help='Flavor (name on every cloud, or ID)')
    parser.add_argument('--image', metavar='<image>', required=True,
                        help='Image (name on every cloud, or ID)')
    parser.add_argument('--count', metavar='<count>', type=int, default=1,
                        help='Number of servers (default 1)')
    parser.add_argument('--cloud', metavar='<cloud>',
                        help='Launch on this cloud only')
    key = parser.add_mutually_exclusive_group()
    key.add_argument('--key-name', metavar='<key-name>',
                     help='One of your key pairs in the home cloud')
    key.add_argument('--public-key', metavar='<file>',
                     help='An OpenSSH public key file: imported where the '
                          'server lands')
    parser.add_argument('--user-data', metavar='<file>',
                        help='User data file (cloud-init)')
    parser.add_argument('--security-group', metavar='<name>',
                        dest='security_groups', action='append',
                        help='Security group by name (repeat for more; '
                             'default: default)')
    parser.add_argument('--network', metavar='<name>', dest='networks',
                        action='append',
                        help='Network by name (repeat for more; default: '
                             'auto)')
    parser.add_argument('--availability-zone', metavar='<zone>',
                        help='Availability zone')
    return parser


def _read(path, mode='r'):
    try:
        with open(path, mode) as f:
            return f.read()
    except OSError as error:
        raise exceptions.CommandError('Cannot read %s: %s'
                                      % (path, error.strerror))


def launch_spec(parsed_args):
    """The keyword arguments of ``servers.create`` / ``placement.rank``."""
    return {
        'count': parsed_args.count, 'cloud': parsed_args.cloud,
        'key_name': parsed_args.key_name,
        'public_key': (_read(parsed_args.public_key).strip()
                       if parsed_args.public_key else None),
        'user_data': (_read(parsed_args.user_data, 'rb')
                      if parsed_args.user_data else None),
        'security_groups': parsed_args.security_groups,
        'networks': parsed_args.networks,
        'availability_zone': parsed_args.availability_zone,
    }
