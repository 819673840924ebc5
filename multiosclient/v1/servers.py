"""os-federation/servers: list in pages, show, launch, delete, act."""

from urllib import parse

from multiosclient import base

URL = '/os-federation/servers'


class Server(base.Resource):
    pass


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
        cloud to ask, when the caller knows it."""
        params = {} if cloud is None else {'cloud': cloud}
        return Server(self._get('%s/%s' % (URL, server_id), 'server',
                                **params))

    def create(self, name, flavor, image, count=1, cloud=None):
        """Launch: -> the launch (its ``id`` names it in ``launches``).

        The API answers at once; the servers are made in the background.
        """
        server = {'name': name, 'flavorRef': flavor, 'imageRef': image}
        if count != 1:
            server['count'] = count
        if cloud is not None:
            server['cloud'] = cloud
        response = self.http.post(URL, json={'server': server})
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
