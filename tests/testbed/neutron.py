# SPDX-License-Identifier: Apache-2.0
"""Nova's NeutronFixture, made to behave like one small real network.

Nova's fixture copies one default port, so every port gets the same fixed IP
and the template's project, and its network belongs to Nova's test project, so
a project from a real Keystone is offered no network at all. Here the network
is shared with every project and each new port gets the next free IPv4 and
IPv6 address of its cloud's own subnets:

* cloud number ``n`` (1 for the first cloud) uses ``198.18.n.0/24`` and
  ``fd00:198:18:n::/64``. 198.18.0.0/15 is reserved for network testing
  (RFC 2544) and fd00::/8 is unique-local: neither is routed anywhere, and
  tests only ever configure them inside network namespaces they create.

Security groups are per project, as in Neutron: each project has its own
``default`` (made when first looked for), may create and delete others
(through Nova's os-security-groups proxy), and a port gets the groups its
server was booted with, or its project's ``default``.
"""

import copy

from neutronclient.common import exceptions as neutron_exc
from nova.tests.fixtures import neutron as nova_neutron
from oslo_utils import uuidutils

from tests.testbed.testbed import subnets_for


class _ProjectClient(nova_neutron._FakeNeutronClient):
    """The fixture's client, knowing the project of the caller's context.

    Neutron gives a created security group to the project of the token.
    """

    def __init__(self, fixture, is_admin, project_id):
        super().__init__(fixture, is_admin)
        self.project_id = project_id

    def create_security_group(self, body=None):
        return self.fixture.create_security_group(body, self.project_id)


class TestbedNeutronFixture(nova_neutron.NeutronFixture):

    def __init__(self, test, cloud_number):
        super().__init__(test)
        self.ipv4_net, self.ipv6_net = subnets_for(cloud_number)
        network = dict(self.network_1, shared=True)
        ipv4 = dict(self.subnet_1, cidr=str(self.ipv4_net),
                    gateway_ip=str(self.ipv4_net[1]),
                    allocation_pools=[{'start': str(self.ipv4_net[2]),
                                       'end': str(self.ipv4_net[-2])}])
        ipv6 = dict(self.subnet_ipv6_1, cidr=str(self.ipv6_net),
                    gateway_ip=str(self.ipv6_net[1]),
                    allocation_pools=[{'start': str(self.ipv6_net[2]),
                                       'end': str(self.ipv6_net[0xffff])}])
        self._networks = {network['id']: network}
        self._subnets = {ipv4['id']: ipv4, ipv6['id']: ipv6}
        self._ipv4_subnet_id = ipv4['id']
        self._ipv6_subnet_id = ipv6['id']

    def _get_client(self, context, admin=False):
        # As nova.network.neutron.get_client decides, and the fixture's own.
        admin = admin or context.is_admin and not context.auth_token
        return _ProjectClient(self, admin, context.project_id)

    def _default_group(self, project_id):
        """The project's ``default`` security group, made on first use."""
        for group in self._security_groups.values():
            if group['tenant_id'] == project_id and \
                    group['name'] == 'default':
                return group
        return self._add_group('default', 'Default security group',
                               project_id)

    def _add_group(self, name, description, project_id):
        group = {'id': uuidutils.generate_uuid(), 'name': name,
                 'description': description, 'tenant_id': project_id,
                 'project_id': project_id, 'security_group_rules': []}
        self._security_groups[group['id']] = group
        return group

    def list_security_groups(self, retrieve_all=True, **params):
        if isinstance(params.get('tenant_id'), str):
            self._default_group(params['tenant_id'])
        return super().list_security_groups(retrieve_all, **params)

    def create_security_group(self, body, project_id):
        group = (body or {}).get('security_group', {})
        return {'security_group': copy.deepcopy(self._add_group(
            group.get('name', ''), group.get('description', ''),
            project_id))}

    def show_security_group(self, group_id, **params):
        if group_id not in self._security_groups:
            raise neutron_exc.NotFound()
        return {'security_group': copy.deepcopy(
            self._security_groups[group_id])}

    def delete_security_group(self, group_id):
        if self._security_groups.pop(group_id, None) is None:
            raise neutron_exc.NotFound()

    def find_resource(self, resource, name_or_id, project_id=None,
                      cmd_resource=None, parent_id=None, fields=None):
        """What neutronclient finds by id, else by name in the project."""
        if resource != 'security_group':
            raise neutron_exc.NotFound()
        if name_or_id in self._security_groups:
            return {'id': name_or_id}
        if project_id:
            self._default_group(project_id)
        found = [g for g in self._security_groups.values()
                 if g['name'] == name_or_id and
                 project_id in (None, g['tenant_id'])]
        if not found:
            raise neutron_exc.NotFound(
                message="Unable to find security_group with name or id "
                        "'%s'" % name_or_id)
        if len(found) > 1:
            raise neutron_exc.NeutronClientNoUniqueMatch(
                resource=resource, name=name_or_id)
        return {'id': found[0]['id']}

    def _used_addresses(self):
        return {fixed_ip['ip_address']
                for port in self._ports.values()
                for fixed_ip in port.get('fixed_ips', ())}

    def _next_free(self, network, used):
        for host in range(2, min(network.num_addresses - 1, 0x10000)):
            address = str(network[host])
            if address not in used:
                return address
        raise RuntimeError('testbed subnet %s is full' % network)

    def create_port(self, body=None):
        created = super().create_port(body)['port']
        used = self._used_addresses()
        port = self._ports[created['id']]
        # Nova lists an instance's ports by its project: keep the requester's
        # project instead of the template port's.
        requested = (body or {}).get('port', {})
        project_id = requested.get('tenant_id') or requested.get('project_id')
        if project_id:
            port['tenant_id'] = port['project_id'] = project_id
        # The groups the server was booted with, else its project's default
        # (the template port's belongs to Nova's test project).
        port['security_groups'] = list(
            requested.get('security_groups') or
            ([self._default_group(project_id)['id']] if project_id else []))
        port['fixed_ips'] = [
            {'ip_address': self._next_free(self.ipv4_net, used),
             'subnet_id': self._ipv4_subnet_id},
            {'ip_address': self._next_free(self.ipv6_net, used),
             'subnet_id': self._ipv6_subnet_id},
        ]
        return {'port': copy.deepcopy(port)}
