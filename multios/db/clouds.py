# SPDX-License-Identifier: Apache-2.0
"""Clouds registered through the API: their rows."""

import json

from oslo_utils import timeutils
import sqlalchemy as sa

from multios.db import models
from multios import exception


def all_rows(session):
    return list(session.scalars(sa.select(models.RegisteredCloud)
                                .order_by(models.RegisteredCloud.name)))


def stamp(session):
    """(count, newest change): it changes when any registration does."""
    row = models.RegisteredCloud
    return tuple(session.execute(sa.select(sa.func.count(row.name),
                                           sa.func.max(row.updated_at))).one())


def add(session, name, settings, secret):
    if session.get(models.RegisteredCloud, name) is not None:
        raise exception.Conflict(reason='cloud %s is already registered'
                                 % name)
    now = timeutils.utcnow()
    session.add(models.RegisteredCloud(
        name=name, settings=json.dumps(settings, sort_keys=True),
        secret=secret, created_at=now, updated_at=now))


def get(session, name):
    row = session.get(models.RegisteredCloud, name)
    if row is None:
        raise exception.CloudNotFound(name=name)
    return row


def update(session, name, changes):
    row = get(session, name)
    settings = json.loads(row.settings)
    settings.update(changes)
    row.settings = json.dumps(settings, sort_keys=True)
    row.updated_at = timeutils.utcnow()


def remove(session, name):
    session.delete(get(session, name))
