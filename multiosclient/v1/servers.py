# SPDX-License-Identifier: Apache-2.0
"""os-federation/servers: list in pages, show, launch, delete, act."""

import base64
from urllib import parse

from multiosclient import base

URL = '/os-federation/servers'


class Server(base.Resource):
    pass


def launch_body(name, flavor, image, count=1, cloud=None, key_name=None,
                public_key=None, user_data=None, security_groups=None,
                networks=None, availability_zone=None):
    """The ``{"server": {...}}`` of a launch (and of its placement).

    ``key_name``: one of the caller's key pairs in the home cloud, or
    ``public_key``: an OpenSSH public key; ``user_data``: text or bytes,
    sent base64 as Nova takes it (novaclient does the same);
    ``security_groups`` and ``networks``: names (``networks`` may be
    ``"auto"``, Nova's default).
    """
    server = {'name': name, 'flavorRef': flavor, 'imageRef': image}
    if count != 1:
        server['count'] = count
    if user_data is not None:
        if isinstance(user_data, str):
            user_data = user_data.encode('utf-8')
        server['user_data'] = base64.b64encode(user_data).decode('ascii')
    if security_groups:
        server['security_groups'] = [{'name': n} for n in security_groups]
    if networks:
        server['networks'] = networks if networks == 'auto' else [
            {'name': n} for n in networks]
    for key, value in (('cloud', cloud), ('key_name', key_name),
                       ('public_key', public_key),
                       ('availability_zone', availability_zone)):
        if value is not None:
            server[key] = value
    return {'server': server}


def _next_marker(body):
    for link in body.get('servers_links', ()):
        if link.get('rel') == 'next':
            query = parse.parse_qs(parse.urlsplit(link['href']).query)
            return query.get('marker', [None])[-1]
    return None


class ServerManager(base.Manager):

    resource_class = Server

    def list(self, all_tenants=False, cloud=None, name=None, status=None,
             limit=None, marker=None, sort_dir=None):
        """The caller's servers, newest first (``sort_dir='asc'``: oldest
        first, the way back from a page).

        Without ``limit``, every page (the API's next links are followed);
        with it, one page whose ``next_marker`` names the marker of the
        next. ``name`` is a regular expression, ``status`` one status or
        a list. ``errors`` lists the clouds that did not answer.
        """
        params = {'all_tenants': 1 if all_tenants else None, 'cloud': cloud,
                  'name': name, 'status': status, 'limit': limit,
                  'marker': marker, 'sort_dir': sort_dir}
        params = {k: v for k, v in params.items() if v is not None}
        servers, errors = [], []
        while True:
            body = self.http.get(URL, params=params).json()
            servers.extend(Server(item) for item in body['servers'])
            errors += [e for e in body.get('errors', ()) if e not in errors]
            marker = _next_marker(body)
            if limit is not None or marker is None:
                return base.ResultList(servers, errors, marker)
            params['marker'] = marker

    def get(self, server_id, cloud=None):
        """One server, with its launch's ``attempts``; ``cloud``: the one
        cloud to ask, when the caller knows it.
        """
        params = {} if cloud is None else {'cloud': cloud}
        return Server(self._get('%s/%s' % (URL, server_id), 'server',
                                **params))

    def create(self, name, flavor, image, count=1, cloud=None, **options):
        """Launch: -> the launch (its ``id`` names it in ``launches``).

        The API answers at once; the servers are made in the background.
        ``options``: as ``launch_body`` takes them.
        """
        response = self.http.post(URL, json=launch_body(
            name, flavor, image, count, cloud, **options))
        return base.Resource(response.json()['launch'])

    def delete(self, server_id):
        self.http.delete('%s/%s' % (URL, server_id))

    def _action(self, server_id, body):
        return self.http.post('%s/%s/action' % (URL, server_id), json=body)

    def start(self, server_id):
        self._action(server_id, {'os-start': None})

    def stop(self, server_id):
        self._action(server_id, {'os-stop': None})

    def reboot(self, server_id, reboot_type='SOFT'):
        """``reboot_type``: ``SOFT`` (the guest's own reboot) or ``HARD``."""
        self._action(server_id, {'reboot': {'type': reboot_type}})

    def get_console_output(self, server_id, length=None):
        """The console's last ``length`` lines (all: None), one string."""
        return self._action(server_id, {'os-getConsoleOutput': {
            'length': length}}).json()['output']
