"""Nova's NeutronFixture, made to behave like one small real network.

Nova's fixture copies one default port, so every port gets the same fixed IP
and the template's project, and its network belongs to Nova's test project, so
a project from a real Keystone is offered no network at all. Here the network is shared with every
project and each new port gets the next free IPv4 and IPv6 address of its
cloud's own subnets:

* cloud number ``n`` (1 for the first cloud) uses ``198.18.n.0/24`` and
  ``fd00:198:18:n::/64``. 198.18.0.0/15 is reserved for network testing
  (RFC 2544) and fd00::/8 is unique-local: neither is routed anywhere, and
  tests only ever configure them inside network namespaces they create.
"""

import copy

from nova.tests.fixtures import neutron as nova_neutron

from tests.testbed.testbed import subnets_for


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
        port['fixed_ips'] = [
            {'ip_address': self._next_free(self.ipv4_net, used),
             'subnet_id': self._ipv4_subnet_id},
            {'ip_address': self._next_free(self.ipv6_net, used),
             'subnet_id': self._ipv6_subnet_id},
        ]
        return {'port': copy.deepcopy(port)}
