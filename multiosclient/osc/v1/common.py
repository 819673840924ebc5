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
    ``openstack server show``."""

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
