"""Core objects as the mocked dashboard API returns them."""

from multios import federation
from multios.placement import model as placement_model

DEMO_PROJECT = '1'  # openstack_dashboard's test data: the active project


def server(id, name, cloud, status='ACTIVE', project_id=DEMO_PROJECT):
    return federation.Server(
        id=id, name=name, cloud=cloud, status=status, project_id=project_id,
        user_id='1', addresses={'private': [{'addr': '10.0.0.%d' % len(id)}]},
        flavor='m1.tiny', image='img-%s' % cloud,
        created='2026-11-23T10:00:00Z')


def servers():
    return [server('a1', 'web-1', 'alpha'), server('b1', 'web-2', 'beta'),
            server('b2', 'db-1', 'beta', status='SHUTOFF')]


def result(items=(), errors=()):
    return federation.Result(items=list(items), errors=list(errors))


def images():
    return result([{'cloud': cloud, 'id': 'img-%s' % cloud, 'name': 'cirros'}
                   for cloud in ('alpha', 'beta', 'gamma')])


def flavors():
    return result([{'cloud': cloud, 'id': '1', 'name': 'm1.tiny'}
                   for cloud in ('alpha', 'beta', 'gamma')])


def ranking():
    return placement_model.Ranking(
        strategy='spread',
        ranked=[placement_model.Candidate('beta', 0.9, {'ram': 0.9}),
                placement_model.Candidate('alpha', 0.4, {'ram': 0.4})],
        rejected=[placement_model.Rejection('gamma',
                                            'quota: 0 instances left')])
