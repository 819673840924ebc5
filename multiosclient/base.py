# SPDX-License-Identifier: Apache-2.0
"""What every manager shares: one resource type and list with errors."""


class Resource:
    """One item of the API, its fields as attributes (``OS-EXT-STS:...``
    ones through ``getattr``), as novaclient's resources.
    """

    def __init__(self, info):
        self._info = dict(info)
        self.__dict__.update(self._info)

    def __repr__(self):
        return '<%s %s>' % (type(self).__name__, self._info.get(
            'id', self._info.get('name')))

    def __eq__(self, other):
        return isinstance(other, Resource) and self._info == other._info

    def to_dict(self):
        return dict(self._info)


class ResultList(list):
    """Items of a federated answer; ``errors``: the clouds that did not
    answer (``[{"cloud", "reason"}]``), ``next_marker`` when a page of
    servers has more after it.
    """

    def __init__(self, items=(), errors=(), next_marker=None):
        super().__init__(items)
        self.errors = list(errors)
        self.next_marker = next_marker


class Manager:
    """Calls of one resource over the client's HTTP adapter."""

    resource_class = Resource

    def __init__(self, http):
        self.http = http

    def _get(self, url, key, **params):
        return self.http.get(url, params=params or None).json()[key]

    def _list(self, url, key, **params):
        body = self.http.get(url, params=params or None).json()
        return ResultList([self.resource_class(i) for i in body[key]],
                          body.get('errors', ()))
