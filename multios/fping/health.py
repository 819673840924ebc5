# SPDX-License-Identifier: Apache-2.0
"""Which federated servers answer ping: Nova's os-fping, across clouds.

Semantics follow Nova's old ``os-fping`` extension: ``all_tenants`` is for
admins only, ``include`` wins over ``exclude``, a server is alive when any
of its addresses (fixed or floating, IPv4 or IPv6) answered, and a server
without addresses is not alive. All addresses go to one fping run (chunked
by the runner) rather than one run per server.
"""

from oslo_log import log as logging

from multios import exception
from multios import federation as federation_mod
from multios.fping import runner as fping_runner

LOG = logging.getLogger(__name__)


def _id_set(ids):
    """A set of server ids from "id1,id2" or an iterable; None if empty."""
    if isinstance(ids, str):
        ids = ids.split(',')
    selected = {server_id.strip() for server_id in ids or ()}
    selected.discard('')
    return selected or None


def select_servers(servers, include=None, exclude=None):
    """Keep the included servers, or all but the excluded ones."""
    included = _id_set(include)
    if included is not None:
        return [server for server in servers if server.id in included]
    excluded = _id_set(exclude) or set()
    return [server for server in servers if server.id not in excluded]


def server_addresses(server):
    """Canonical text of every address in Nova's ``addresses`` dict."""
    addresses = set()
    for entries in (server.addresses or {}).values():
        for entry in entries:
            address = fping_runner.canonical_address(entry.get('addr', ''))
            if address:
                addresses.add(address)
    return addresses


def _servers(federation, context, server_id, all_tenants):
    """Result of the servers to ping; its errors name the clouds skipped."""
    if server_id:
        return federation_mod.Result(
            [federation.get_server(context, server_id)])
    result = federation.list_servers(context, all_tenants=all_tenants)
    for error in result.errors:
        LOG.warning("fping skips the servers of cloud %s: %s",
                    error.cloud, error.reason)
    return result


def check(federation, context, server_id=None, all_tenants=False,
          include=None, exclude=None):
    """Ping the selected servers -> Result of ``{id, project_id, cloud,
    alive}`` per server, and an error per cloud whose servers are missing.

    ``server_id`` selects one server (``ServerNotFound`` if the caller may
    not see it) and ignores the filters. Raises ``Forbidden`` when a
    non-admin asks for ``all_tenants`` and ``FpingNotFound`` before any
    cloud is asked when fping cannot be run.
    """
    if all_tenants and not context.is_admin:
        raise exception.Forbidden(
            reason="all_tenants is allowed to admins only")
    runner = fping_runner.FpingRunner.from_conf(federation.conf)
    runner.check_available()
    found = _servers(federation, context, server_id, all_tenants)
    servers = found.items
    if not server_id:
        servers = select_servers(servers, include, exclude)
    addresses = {server.id: server_addresses(server) for server in servers}
    alive = runner.alive(set().union(*addresses.values()))
    return federation_mod.Result(
        [{'id': server.id,
          'project_id': server.project_id,
          'cloud': server.cloud,
          'alive': bool(addresses[server.id] & alive)}
         for server in servers], found.errors)
