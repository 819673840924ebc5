# SPDX-License-Identifier: Apache-2.0
"""Shared by the federation, CLI and listing-benchmark code: real servers.

Servers are created straight through each cloud's novaclient (never through
MultiOS) so that what MultiOS reports is checked against the clouds' own
word, and deleted again, waiting until each cloud confirms they are gone.
"""

import configparser
import contextlib
import os
import time

from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives import serialization

from multios.conf import files
from multios.federation import META_PROJECT_ID
from multios.federation import META_REQUEST_ID
from multios.federation import META_USER_ID

#: The testbed's ``cirros`` image (tests/testbed/nova_service.py).
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
#: A password holding what oslo.config files give a meaning to: $, $$,
#: quotes, spaces at both ends, % and non-ASCII.
TRICKY_PASSWORD = ' $up3r$$ecret "q" \'s\' ü%(x)s %s; #x trail$ '


def write_config(testbed, directory, **cloud_options):
    """A copy of the testbed's multios.conf with extra [cloud:*] options.

    Its state (the sqlite database) lives in ``directory``.
    """
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(testbed.config_file, encoding='utf-8')
    parser['DEFAULT']['state_path'] = str(directory)
    for section in parser.sections():
        if section.startswith('cloud:'):
            for key, value in cloud_options.items():
                parser[section][key] = files.ini_value(value)
    path = os.path.join(str(directory), 'multios.conf')
    with open(path, 'w', encoding='utf-8') as f:
        parser.write(f)
    os.chmod(path, 0o600)
    return path


def owner_metadata(project_id, user_id, request_id='req-functional'):
    return {META_PROJECT_ID: project_id, META_USER_ID: user_id,
            META_REQUEST_ID: request_id}


def list_servers(cloud, user='admin', **search_opts):
    """Every server ``user`` sees on ``cloud``, all pages, each once.

    Nova lists a server that leaves its build request between two pages on
    both (a test once counted one leak three times); the later is kept.
    """
    servers = cloud.nova_client(user).servers.list(search_opts=search_opts,
                                                   limit=-1)
    return list({server.id: server for server in servers}.values())


def all_servers(cloud):
    """Every project's servers on ``cloud``, as its admin lists them."""
    return list_servers(cloud, all_tenants=True)


def create_servers(cloud, name, count=1, metadata=None, user='admin'):
    """Create ``count`` servers on ``cloud`` in one request -> their IDs."""
    nova = cloud.nova_client(user)
    flavor = nova.flavors.find(name='m1.tiny')
    nova.servers.create(name, CIRROS, flavor, meta=metadata, nics='none',
                        min_count=count, max_count=count)
    # A multi-create answers with one server only: find them all by name.
    return [s.id for s in list_servers(cloud, user, name='^%s' % name)]


def create_settled(cloud, prefix, count, metadata=None, user='admin',
                   batch=10):
    """Create ``count`` servers by multi-creates of ``batch`` -> their IDs.

    Each multi-create is left to settle (ACTIVE or ERROR) before the next:
    a testbed Nova busy building many servers answers a create slowly.
    Servers already named ``prefix...`` count, so a rerun tops them up.
    """
    ids = [s.id for s in list_servers(cloud, user, name='^' + prefix)]
    while len(ids) < count:
        made = create_servers(cloud, '%s%d-' % (prefix, len(ids)),
                              min(batch, count - len(ids)), metadata, user)
        wait_active(cloud, made, timeout=600, accept=('ACTIVE', 'ERROR'))
        ids = list(dict.fromkeys(ids + made))
    return ids


def wait_active(cloud, server_ids, timeout=120, accept=('ACTIVE',)):
    """Wait until every server's status is in ``accept`` -> {id: status}.

    Waiting matters: a cloud still building answers slowly. A server in
    ERROR when ERROR is not accepted fails at once.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = {s.id: s.status for s in all_servers(cloud)}
        if all(statuses.get(i) in accept for i in server_ids):
            return {i: statuses[i] for i in server_ids}
        failed = [i for i in server_ids if statuses.get(i) == 'ERROR']
        if failed and 'ERROR' not in accept:
            raise AssertionError('servers in ERROR on %s: %s' % (
                cloud.name, '; '.join(why_in_error(cloud, server_id)
                                      for server_id in sorted(failed))))
        time.sleep(1)
    raise AssertionError('servers on %s not %s within %ss'
                         % (cloud.name, '/'.join(accept), timeout))


def why_in_error(cloud, server_id):
    """'id: fault, and the failed steps of its Nova actions' of a server."""
    nova = cloud.nova_client('admin')
    fault = getattr(nova.servers.get(server_id), 'fault', None) or {}
    failed = []
    for action in nova.instance_action.list(server_id):
        detail = nova.instance_action.get(server_id, action.request_id)
        failed += ['%s %s' % (action.action, event['event'])
                   for event in getattr(detail, 'events', [])
                   if event.get('result') != 'Success']
    return '%s: fault %r, failed steps %s' % (
        server_id, fault.get('message'), failed or 'none')


#: Seconds after which a server still listed is asked to go again.
RESEND_DELETE_AFTER = 15


def delete_servers(cloud, server_ids, timeout=120):
    """Delete the servers and wait until the cloud no longer lists them."""
    nova = cloud.nova_client('admin')

    def delete(ids):
        for server_id in ids:
            try:
                nova.servers.delete(server_id)
            except Exception:  # already gone
                pass
    delete(server_ids)
    deadline = time.monotonic() + timeout
    again_at = time.monotonic() + RESEND_DELETE_AFTER
    remaining = set(server_ids)
    while remaining and time.monotonic() < deadline:
        listed = {s.id for s in all_servers(cloud)}
        remaining &= listed
        if remaining and time.monotonic() > again_at:
            # A delete sent while Nova was still scheduling the server can
            # be lost (Nova's build-request race): ask again.
            delete(remaining)
            again_at = time.monotonic() + RESEND_DELETE_AFTER
        if remaining:
            time.sleep(0.5)
    if remaining:
        raise AssertionError('servers %s still exist on %s'
                             % (sorted(remaining), cloud.name))


def add_user(cloud, name, password, role='admin'):
    """A user of the admin project, with ``role``, in cloud's Keystone.

    -> the user's id. For accounts the testbed does not make, such as one
    whose password holds what configuration files give a meaning to.
    """
    admin = cloud.session('admin')
    project_id = cloud.project_id('admin')
    user = admin.post(cloud.auth_url + '/users', json={'user': {
        'name': name, 'domain_id': 'default', 'password': password,
        'default_project_id': project_id}}).json()['user']
    role_id = admin.get(cloud.auth_url + '/roles?name=%s' % role).json()[
        'roles'][0]['id']
    admin.put(cloud.auth_url + '/projects/%s/users/%s/roles/%s'
              % (project_id, user['id'], role_id))
    return user['id']


def delete_user(cloud, user_id):
    cloud.session('admin').delete(cloud.auth_url + '/users/' + user_id)


#: Nova's proxies of security groups (removed in 2.36).
PROXY_VERSION = {'OpenStack-API-Version': 'compute 2.35'}


def create_security_group(cloud, name, user='admin'):
    """A security group of ``user``'s project on ``cloud`` -> its id."""
    response = cloud.session(user).post(
        cloud.compute_url + '/os-security-groups', headers=PROXY_VERSION,
        json={'security_group': {'name': name, 'description': 'test'}})
    return response.json()['security_group']['id']


def delete_security_group(cloud, group_id, user='admin'):
    cloud.session(user).delete(
        cloud.compute_url + '/os-security-groups/' + group_id,
        headers=PROXY_VERSION)


#: A flavor of every cloud that Nova cannot schedule where it is trapped.
TRAP_FLAVOR = 'multios.trap'
#: A trait no testbed host has.
TRAP_TRAIT = 'trait:CUSTOM_MULTIOS_NOT_THERE'


@contextlib.contextmanager
def flavor_everywhere(testbed, name, extra_specs=None):
    """Flavor ``name`` (256 MiB, 1 vCPU, 1 GB) on every cloud -> {cloud
    name: its Flavor}, deleted after. The same name and size everywhere,
    so that MultiOS's placement finds it on every cloud.
    """
    made = {}
    try:
        for cloud in testbed.clouds:
            nova = cloud.nova_client('admin')
            for old in nova.flavors.list(is_public=None):
                if old.name == name:  # left by an interrupted run
                    nova.flavors.delete(old)
            made[cloud.name] = nova.flavors.create(name, 256, 1, 1)
            if extra_specs:
                made[cloud.name].set_keys(extra_specs)
        yield made
    finally:
        for flavor in made.values():
            flavor.manager.delete(flavor)


def trap_flavors(testbed):
    """``multios.trap`` on every cloud (``flavor_everywhere``).

    ``trap(flavor)`` makes one cloud's require a trait no host has: that
    Nova's scheduler then asks its Placement service for such hosts and
    gets none, NoValidHost, and the server goes to ERROR with that fault.
    A real ERROR from a real Nova, on that cloud only.
    """
    return flavor_everywhere(testbed, TRAP_FLAVOR)


def trap(flavor):
    flavor.set_keys({TRAP_TRAIT: 'required'})


def public_key():
    """A new OpenSSH public key (the private key is thrown away)."""
    return ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH,
        serialization.PublicFormat.OpenSSH).decode() + ' test@multios'
