"""The LAUNCH body: what the API, the CLI and the dashboard show."""

import json

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
        'placement': spec.get('placement'),
        'servers': [instance_dict(i, cancelling, max_attempts)
                    for i in launch.instances],
    }
