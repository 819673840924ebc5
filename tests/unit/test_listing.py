# SPDX-License-Identifier: Apache-2.0
"""Filters and pages of the federated server list (multios.listing)."""

import pytest

from multios import exception
from multios import federation
from multios import listing


def server(server_id, created, name='vm', status='ACTIVE', cloud='alpha'):
    return federation.Server(id=server_id, name=name, cloud=cloud,
                             status=status, created=created)


def pending(name):
    return federation.Server(id=None, name=name, cloud='beta',
                             status='BUILD')


def result(*items, errors=()):
    return federation.Result(items=list(items), errors=list(errors))


def ids(page):
    return [s.id for s in page.items]


SERVERS = [server('a', '2026-01-01T00:00:01Z'),
           server('c', '2026-01-01T00:00:03Z', cloud='gamma'),
           server('b', '2026-01-01T00:00:03Z', cloud='beta'),
           server('d', '2026-01-01T00:00:02Z')]


def test_newest_first_then_id_descending():
    assert ids(listing.page(result(*SERVERS), listing.Query())) == [
        'c', 'b', 'd', 'a']


def test_pages_follow_the_marker_and_the_last_has_no_next():
    first = listing.page(result(*SERVERS), listing.Query(limit=3))
    assert (ids(first), first.next_marker) == (['c', 'b', 'd'], 'd')
    last = listing.page(result(*SERVERS), listing.Query(limit=3,
                                                        marker='d'))
    assert (ids(last), last.next_marker) == (['a'], None)


def test_a_full_last_page_has_no_next_marker():
    page = listing.page(result(*SERVERS), listing.Query(limit=4))
    assert len(page.items) == 4 and page.next_marker is None


def test_servers_added_between_pages_do_not_move_the_others():
    first = listing.page(result(*SERVERS), listing.Query(limit=2))
    newer = server('e', '2026-01-01T00:00:09Z')
    rest = listing.page(result(newer, *SERVERS),
                        listing.Query(limit=2, marker=first.next_marker))
    assert ids(first) + ids(rest) == ['c', 'b', 'd', 'a']


def test_filters_apply_before_the_page():
    servers = [server('a', '1', name='web-1'), server('b', '2', name='db'),
               server('c', '3', name='WEB-2', status='SHUTOFF'),
               server('d', '4', name='web-3', status='ERROR')]
    query = listing.Query(name='^web', status=('active', 'shutoff'),
                          limit=1)
    first = listing.page(result(*servers), query)
    assert (ids(first), first.next_marker) == (['c'], 'c')
    second = listing.page(result(*servers), listing.Query(
        name='^web', status=('ACTIVE', 'SHUTOFF'), limit=1, marker='c'))
    assert (ids(second), second.next_marker) == (['a'], None)


def test_instances_not_made_yet_lead_the_first_page_only():
    items = result(pending('vm-9'), *SERVERS)
    first = listing.page(items, listing.Query(limit=2))
    assert ids(first) == [None, 'c', 'b'] and first.next_marker == 'b'
    assert None not in ids(listing.page(items, listing.Query(marker='b')))
    assert ids(listing.page(items, listing.Query(name='^vm-9$'))) == [None]


def test_unknown_marker_is_nova_s_400():
    with pytest.raises(exception.MarkerNotFound) as raised:
        listing.page(result(*SERVERS), listing.Query(marker='zzz'))
    assert raised.value.code == 400
    assert str(raised.value) == 'marker [zzz] not found'


def test_unknown_marker_while_a_cloud_failed_may_be_there():
    failed = federation.CloudError('beta', 'cannot connect')
    with pytest.raises(exception.CloudUnavailable) as raised:
        listing.page(result(*SERVERS, errors=[failed]),
                     listing.Query(marker='zzz'))
    assert 'beta' in str(raised.value) and 'zzz' in str(raised.value)


def test_errors_travel_with_the_page():
    failed = federation.CloudError('beta', 'cannot connect')
    page = listing.page(result(*SERVERS, errors=[failed]),
                        listing.Query(limit=1))
    assert page.errors == [failed]


def test_a_name_that_is_no_regular_expression_is_invalid():
    with pytest.raises(exception.Invalid) as raised:
        listing.Query(name='web[')
    assert "'web['" in str(raised.value)


def test_asc_pages_back_towards_the_newest():
    query = listing.Query(limit=2, marker='a', sort_dir='asc')
    back = listing.page(result(*SERVERS), query)
    assert (ids(back), back.next_marker) == (['d', 'b'], 'b')
    newest = listing.page(result(*SERVERS), listing.Query(
        limit=2, marker='b', sort_dir='asc'))
    assert (ids(newest), newest.next_marker) == (['c'], None)


def test_asc_shows_instances_not_made_yet_at_the_newest_end_only():
    items = result(pending('vm-9'), *SERVERS)
    middle = listing.page(items, listing.Query(limit=1, marker='a',
                                               sort_dir='asc'))
    assert ids(middle) == ['d']
    end = listing.page(items, listing.Query(limit=5, marker='d',
                                            sort_dir='asc'))
    assert ids(end) == ['b', 'c', None]


def test_unknown_sort_dir_is_invalid():
    with pytest.raises(exception.Invalid, match="sort_dir 'up' is none of "
                       "desc, asc"):
        listing.Query(sort_dir='up')
