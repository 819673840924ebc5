# SPDX-License-Identifier: Apache-2.0
"""The LAUNCH body: what the API, the CLI and the dashboard show."""

import json

from multios import keypairs
from multios.launches import states


def _time(value):
    return value.strftime('%Y-%m-%dT%H:%M:%SZ') if value else None


def instance_dict(instance, cancelling, max_attempts):
    attempts = instance.attempts
    return {
        'name': instance.name,
        'cloud': instance.cloud,
        'id': instance.server_id,
        'status': states.SERVER_STATUS[instance.state],
        'task': states.task(instance.state, instance.cloud, len(attempts),
                            max_attempts, cancelling),
        'attempts': [{'cloud': a.cloud, 'outcome': a.outcome,
                      'reason': a.reason}
                     for a in attempts if a.outcome is not None],
    }


def _key_pair_name(launch, spec):
    """The name of the key pair of a public key given inline, if any."""
    if not spec.get('public_key'):
        return None
    return keypairs.pair_name(keypairs.parse(spec['public_key']),
                              launch.project_id, launch.user_id)


def launch_dict(launch, max_attempts):
    """``{"id", "status", ..., "servers": [...]}`` of a Launch row."""
    cancelling = (launch.cancel_requested and
                  launch.status == states.LAUNCH_BUILDING)
    spec = json.loads(launch.spec)
    return {
        'id': launch.id,
        'status': launch.status,
        'project_id': launch.project_id,
        'user_id': launch.user_id,
        'created_at': _time(launch.created_at),
        'updated_at': _time(launch.updated_at),
        'reason': launch.reason,
        'name': spec.get('name'),
        'flavorRef': spec.get('flavor'),
        'imageRef': spec.get('image'),
        'count': len(launch.instances),
        'key_name': spec.get('key_name') or _key_pair_name(launch, spec),
        'security_groups': spec.get('security_groups') or ['default'],
        'networks': spec.get('networks') or 'auto',
        'availability_zone': spec.get('availability_zone'),
        'placement': spec.get('placement'),
        'servers': [instance_dict(i, cancelling, max_attempts)
                    for i in launch.instances],
    }
