# SPDX-License-Identifier: Apache-2.0
"""What the mocked dashboard API returns: multiosclient's objects, as the
MultiOS API's bodies make them."""

from multiosclient import base
from multiosclient.v1 import servers as client_servers

DEMO_PROJECT = '1'  # openstack_dashboard's test data: the active project
UUIDS = {'a1': '0a5cf2e8-69d6-4d6f-b0f3-0000000000a1',
         'b1': '0a5cf2e8-69d6-4d6f-b0f3-0000000000b1',
         'b2': '0a5cf2e8-69d6-4d6f-b0f3-0000000000b2',
         'x1': '0a5cf2e8-69d6-4d6f-b0f3-0000000000f1'}


def server(id, name, cloud, status='ACTIVE', project_id=DEMO_PROJECT,
           task=None, task_state=None, power_state=None, launch_id=None,
           fault=None, **extra):
    if power_state is None:
        power_state = {'ACTIVE': 1, 'SHUTOFF': 4}.get(status, 0)
    info = {
        'id': id, 'name': name, 'cloud': cloud, 'status': status,
        'project_id': project_id, 'user_id': '1', 'request_id': launch_id,
        'addresses': {'private': [{'addr': '10.0.0.%d' % len(id or '')}]},
        'flavor': 'm1.tiny', 'image': 'img-%s' % cloud,
        'created': '2026-11-23T10:00:00Z', 'fault': fault,
        'OS-EXT-STS:task_state': task_state, 'OS-EXT-STS:vm_state': None,
        'OS-EXT-STS:power_state': power_state, 'launch_id': launch_id,
        'task': task, 'key_name': None}
    info.update(extra)
    return client_servers.Server(info)


def servers():
    return [server(UUIDS['a1'], 'web-1', 'alpha'),
            server(UUIDS['b1'], 'web-2', 'beta'),
            server(UUIDS['b2'], 'db-1', 'beta', status='SHUTOFF')]


def result(items=(), errors=(), next_marker=None):
    return base.ResultList(items, errors, next_marker)


def error(cloud, reason):
    return {'cloud': cloud, 'reason': reason}


def _by_name(items):
    return result([base.Resource(item) for item in items])


def images():
    return _by_name([{'name': 'cirros', 'clouds': [
        {'cloud': cloud, 'id': 'img-%s' % cloud, 'status': 'active'}
        for cloud in ('alpha', 'beta', 'gamma')]}])


def flavors():
    return _by_name([{'name': 'm1.tiny', 'clouds': [
        {'cloud': cloud, 'id': '1', 'vcpus': 1, 'ram': 512, 'disk': 1}
        for cloud in ('alpha', 'beta', 'gamma')]}])


def clouds(*names):
    return result([cloud_status(name) for name in names])


def cloud_status(name, state='up', source='/etc/multios/multios.conf',
                 draining=False, latency_ms=12.3, reason=None, usage=None):
    return base.Resource({'name': name, 'state': state,
                          'latency_ms': latency_ms, 'reason': reason,
                          'usage': usage, 'draining': draining,
                          'weight': 1.0, 'source': source})


def ranking(plan=('beta', 'beta'), unplaced=()):
    return base.Resource({
        'strategy': 'spread',
        'ranked': [{'cloud': 'beta', 'score': 0.9, 'weights': {'ram': 0.9}},
                   {'cloud': 'alpha', 'score': 0.4,
                    'weights': {'ram': 0.4}}],
        'rejected': [{'cloud': 'gamma', 'reason': 'quota: 0 instances left'}],
        'plan': list(plan), 'unplaced': list(unplaced)})


def launch(launch_id='req-1', servers=(), **extra):
    info = {'id': launch_id, 'status': 'building', 'name': 'web',
            'servers': list(servers), 'placement': None,
            'security_groups': ['default']}
    info.update(extra)
    return base.Resource(info)


def launch_item(name, cloud, id=None, status='BUILD', task=None,
                attempts=()):
    return {'name': name, 'cloud': cloud, 'id': id, 'status': status,
            'task': task, 'attempts': list(attempts)}
