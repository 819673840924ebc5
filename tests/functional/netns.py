# SPDX-License-Identifier: Apache-2.0
"""A network namespace of a test's own, so that no ping ever leaves it.

The namespace holds only ``lo`` and a sink interface: addresses that must
answer are configured on the sink (the kernel answers pings to local
addresses itself), and whatever else is routed to the sink is dropped by it,
so fping sees real silence. Prefixes can also be blackholed instead, which
makes pings to them fail at once. Needs root and iproute2.
"""

import ipaddress
import os
import subprocess

SINK = 'd0'
# ifb drops what it transmits like dummy does; it stands in on kernels that
# lack the dummy module.
SINK_KINDS = ('dummy', 'ifb')


class NetnsError(Exception):
    """The namespace could not be set up."""


def _run(argv, input_text=None):
    process = subprocess.run(argv, input=input_text, capture_output=True,
                             text=True, check=False)
    if process.returncode:
        raise NetnsError('%s failed: %s' % (' '.join(argv[:6]),
                                            process.stderr.strip()))
    return process.stdout


def _prefix_length(address):
    return ipaddress.ip_address(address).max_prefixlen


class NetNamespace:
    """``with NetNamespace() as ns:`` creates it and always deletes it."""

    def __init__(self, name=None):
        self.name = name or 'multios-test-%d' % os.getpid()

    def __enter__(self):
        return self.create()

    def __exit__(self, *exc_info):
        self.delete()

    def create(self):
        if os.geteuid() != 0:
            raise NetnsError('creating network namespace %s needs root'
                             % self.name)
        _run(['ip', 'netns', 'add', self.name])
        try:
            self.ip('link', 'set', 'lo', 'up')
            self._add_sink()
        except NetnsError:
            self.delete()
            raise
        return self

    def _add_sink(self):
        errors = []
        for kind in SINK_KINDS:
            try:
                self.ip('link', 'add', SINK, 'type', kind)
                break
            except NetnsError as error:
                errors.append(str(error))
        else:
            raise NetnsError('no sink interface: %s' % '; '.join(errors))
        self.ip('link', 'set', SINK, 'up')

    def delete(self):
        subprocess.run(['ip', 'netns', 'delete', self.name],
                       capture_output=True, check=False)

    def ip(self, *args):
        return _run(['ip', '-n', self.name, *args])

    def _batch(self, commands):
        if commands:
            _run(['ip', '-n', self.name, '-batch', '-'],
                 input_text='\n'.join(commands) + '\n')

    def add_addresses(self, addresses):
        """Make ``addresses`` answer ping (IPv6 without DAD)."""
        self._batch([
            'address add %s/%d dev %s%s' % (
                address, _prefix_length(address), SINK,
                ' nodad' if ':' in address else '')
            for address in addresses])

    def remove_addresses(self, addresses):
        self._batch(['address del %s/%d dev %s'
                     % (address, _prefix_length(address), SINK)
                     for address in addresses])

    def drop(self, networks):
        """Route ``networks`` into the sink: pings to them go unanswered."""
        self._batch(['route add %s dev %s' % (network, SINK)
                     for network in networks])

    def blackhole(self, networks):
        """Blackhole ``networks``: pings to them fail before leaving."""
        self._batch(['route add blackhole %s' % network
                     for network in networks])

    def command(self, argv):
        """``argv`` to run inside the namespace."""
        return ['ip', 'netns', 'exec', self.name, *argv]
