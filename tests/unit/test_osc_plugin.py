# SPDX-License-Identifier: Apache-2.0
"""The openstack federation commands over multiosclient, API in process.

Each command runs as cliff would run it (its parser, then take_action) with
a ClientManager stand-in whose ``federation`` is a real multiosclient
Client talking to the real pipeline (core mocked) through wsgi-intercept.
"""

import types

from osc_lib import exceptions as osc_exceptions
import pytest

from multios import federation
from multios import listing
from multiosclient.osc import plugin
from multiosclient.osc.v1 import clouds
from multiosclient.osc.v1 import servers
from tests.unit import test_multiosclient as client_tests

# The fixtures of the client tests: the pipeline and a client of it.
api = client_tests.api
client = client_tests.client
UUID = client_tests.UUID


def run(command_class, client, *argv):
    app = types.SimpleNamespace(
        client_manager=types.SimpleNamespace(federation=client))
    command = command_class(app, None)
    return command.take_action(command.get_parser('openstack').parse_args(
        list(argv)))


def server(server_id=UUID, name='vm', power_state=1):
    made = client_tests.server(server_id, name)
    made.power_state = power_state
    return made


def test_list_shows_nova_s_power_state_as_openstack_server_does(api,
                                                                client):
    api.launches.list_servers.return_value = listing.Page(
        items=[server(power_state=4)])
    headers, rows = run(servers.ListServer, client, '--status', 'SHUTOFF',
                        '--name', '^vm$')
    assert headers == ['ID', 'Name', 'Cloud', 'Status', 'Power State',
                       'Task State', 'Task']
    [row] = rows
    power = row[headers.index('Power State')]
    assert (power.human_readable(), power.machine_readable()) == (
        'Shutdown', 4)
    query = api.launches.list_servers.call_args.kwargs['query']
    assert (query.status, query.name) == (('SHUTOFF',), '^vm$')


def test_a_server_is_found_by_its_exact_name(api, client):
    api.launches.list_servers.return_value = listing.Page(
        items=[server('s-upper', 'VM'), server(UUID, 'vm')])
    api.fed.get_server.return_value = server()
    run(servers.StopServer, client, 'vm')
    assert api.fed.stop_server.call_args.args[0].id == UUID


def test_two_servers_of_one_name_are_an_error(api, client):
    api.launches.list_servers.return_value = listing.Page(
        items=[server('s1', 'vm'), server('s2', 'vm')])
    with pytest.raises(osc_exceptions.CommandError) as raised:
        run(servers.ShowServer, client, 'vm')
    assert str(raised.value) == 'More than one server exists with the name vm.'


def test_reboot_is_soft_unless_hard(api, client):
    api.launches.get_server.return_value = server()
    api.fed.get_server.return_value = server()
    run(servers.RebootServer, client, UUID)
    assert api.fed.reboot_server.call_args.args[1] == 'SOFT'
    run(servers.RebootServer, client, '--hard', UUID)
    assert api.fed.reboot_server.call_args.args[1] == 'HARD'


def test_cloud_list(api, client):
    api.fed.cloud_status.return_value = [federation.CloudStatus(
        name='alpha', state='up', latency_ms=3.5)]
    headers, rows = run(clouds.ListCloud, client)
    assert list(rows) == [('alpha', 'up', 3.5, False, None)]


def test_make_client_uses_the_cli_session_and_endpoint():
    asked = {}

    def endpoint(service_type, region_name=None, interface=None):
        asked.update(service_type=service_type, region=region_name,
                     interface=interface)
        return 'http://multios.test/v1'

    instance = types.SimpleNamespace(
        _api_version={'federation': '1'},
        session=client_tests.catalog_session(),
        region_name='RegionOne', interface='public',
        get_endpoint_for_service_type=endpoint)
    made = plugin.make_client(instance)
    assert asked == {'service_type': 'multios', 'region': 'RegionOne',
                     'interface': 'public'}
    assert made.http.endpoint_override == 'http://multios.test/v1'
