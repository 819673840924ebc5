# SPDX-License-Identifier: Apache-2.0
"""Filters and pages of the federated server list.

The order is Nova's default one, newest first: ``created`` then ``id``,
both descending. Neither ever changes for a server, so a ``marker`` (the
id of the last server of a page) names one place in that order whatever
was added or deleted since: the servers that exist all along are each on
exactly one page, and those added meanwhile, being newer than the marker,
come before it (the next first page shows them).

``sort_dir='asc'`` (Nova's) pages the other way, oldest first: what a
front end's "previous page" asks, from the first server of a page.

An instance of an unfinished launch that Nova has no server for yet
(``id`` None) has no id a marker could name: being the newest of all, those
are listed on the page that holds the newest end of the order (the first
page without a marker; with ``asc``, the page that reaches the end), and
``limit`` counts servers only.
"""

import dataclasses
import re

from multios import exception
from multios import federation


#: Nova's sort directions.
SORT_DIRS = ('desc', 'asc')


@dataclasses.dataclass
class Page(federation.Result):
    """A Result of one page; ``next_marker`` is None on the last page."""

    next_marker: str = None


@dataclasses.dataclass(frozen=True)
class Query:
    """Which servers to list and which page of them.

    ``name``: a regular expression searched in the name, as Nova's name
    filter, ignoring case; ``status``: Nova statuses, any of them, any
    case; ``limit``: servers per page (None: every one); ``marker``: the id
    of the last server of the previous page; ``sort_dir``: ``desc``
    (newest first, Nova's default) or ``asc``.
    """

    name: str = None
    status: tuple = ()
    limit: int = None
    marker: str = None
    sort_dir: str = 'desc'

    def __post_init__(self):
        try:
            pattern = re.compile(self.name or '', re.IGNORECASE)
        except re.error as error:
            raise exception.Invalid(
                reason='name %s is no regular expression: %s'
                % (exception.short_repr(self.name), error))
        if self.sort_dir not in SORT_DIRS:
            raise exception.Invalid(
                reason='sort_dir %s is none of %s' % (
                    exception.short_repr(self.sort_dir), ', '.join(SORT_DIRS)))
        object.__setattr__(self, '_pattern', pattern)
        object.__setattr__(self, 'status',
                           tuple(s.upper() for s in self.status))

    def matches(self, server):
        return (self._pattern.search(server.name or '') is not None and
                (not self.status or (server.status or '').upper()
                 in self.status))


def order_key(server):
    """Sort key of Nova's order (``desc``: sorted with ``reverse=True``)."""
    return (server.created or '', server.id)


def page(result, query):
    """The page of ``result`` (a Result of Servers) that ``query`` asks.

    Raises MarkerNotFound when no listed server has the marker's id (or
    CloudUnavailable when a cloud that may hold it did not answer).
    """
    chosen = [s for s in result.items if query.matches(s)]
    pending = [s for s in chosen if s.id is None]
    servers = sorted((s for s in chosen if s.id is not None),
                     key=order_key, reverse=query.sort_dir == 'desc')
    if query.marker is not None:
        after = next((i for i, s in enumerate(servers)
                      if s.id == query.marker), None)
        if after is None:
            if result.errors:
                raise exception.CloudUnavailable(
                    name=', '.join(e.cloud for e in result.errors),
                    reason='marker %s may be there' % query.marker)
            raise exception.MarkerNotFound(marker=query.marker)
        servers = servers[after + 1:]
    next_marker = None
    if query.limit is not None and len(servers) > query.limit:
        servers = servers[:query.limit]
        next_marker = servers[-1].id if servers else None
    if query.sort_dir == 'desc':
        items = servers if query.marker is not None else pending + servers
    else:
        items = servers if next_marker is not None else servers + pending
    return Page(items=items, errors=result.errors, next_marker=next_marker)
