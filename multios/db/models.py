# SPDX-License-Identifier: Apache-2.0
"""The MultiOS database: what every process and host shares.

Modelled on ``nova/db/main/models.py``; the migrations in
``multios/db/migrations`` create exactly these tables (a unit test compares
the two, as oslo.db's ``ModelsMigrationsSync`` does).

* ``services``: the MultiOS processes alive lately (API, engine, CLI).
* ``launches``, ``launch_instances``, ``launch_attempts``: durable launch
  requests, each instance's state and every try on a cloud.
* ``cloud_usage`` and ``reservations``: the quota shared by every process;
  a ``cloud_usage`` row is also the lock a placement decision takes.
* ``leak_sightings`` and ``leases``: the two-pass leak cleanup and who may
  run it.
* ``rate_limit_keys`` and ``rate_limit_hits``: API rate limits counted
  across API workers.
* ``registered_clouds``: clouds registered through the API, their secret
  encrypted with the credential keys (multios/credentials.py).
* ``key_pairs``: the key pairs MultiOS imported into a cloud for launches
  (multios/launches/keypairs.py); ``launch_attempts.key_name`` says which
  attempt booted with which.
"""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy import orm

#: Microseconds everywhere: heartbeats and quota reads compare times closer
#: than a second apart (MySQL's DATETIME drops them by default).
Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql',
                                       'mariadb')
#: Long enough for "host:pid:random" process ids and "req-UUID" ids.
ID = sa.String(64)
NAME = sa.String(255)
UUID = sa.String(36)


class Base(orm.DeclarativeBase):
    pass


class Service(Base):
    """A MultiOS process that heartbeats; ``kind`` is api, engine or cli."""

    __tablename__ = 'services'

    id = sa.Column(ID, primary_key=True)
    kind = sa.Column(sa.String(16), nullable=False)
    host = sa.Column(NAME, nullable=False)
    pid = sa.Column(sa.Integer, nullable=False)
    started_at = sa.Column(Timestamp, nullable=False)
    heartbeat_at = sa.Column(Timestamp, nullable=False, index=True)


class Launch(Base):
    """One launch request: ``count`` instances of one spec.

    ``owner`` is the process carrying it and ``heartbeat_at`` its last sign
    of life; a launch with no owner or a stale heartbeat is adopted.
    """

    __tablename__ = 'launches'
    __table_args__ = (sa.Index('launches_status_heartbeat_idx', 'status',
                               'heartbeat_at'),)

    id = sa.Column(ID, primary_key=True)
    project_id = sa.Column(NAME, nullable=False, index=True)
    user_id = sa.Column(NAME, nullable=False)
    spec = sa.Column(sa.Text, nullable=False)
    status = sa.Column(sa.String(16), nullable=False)
    reason = sa.Column(sa.Text)
    owner = sa.Column(ID)
    heartbeat_at = sa.Column(Timestamp)
    cancel_requested = sa.Column(sa.Boolean, nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)
    updated_at = sa.Column(Timestamp, nullable=False)
    settled_at = sa.Column(Timestamp)

    instances = orm.relationship(
        'LaunchInstance', back_populates='launch', lazy='selectin',
        order_by='LaunchInstance.position', cascade='all, delete-orphan')


class LaunchInstance(Base):
    """One instance of a launch; ``state`` follows doc/source/contributor.

    ``cloud``/``server_id`` are those of its current (last) attempt.
    """

    __tablename__ = 'launch_instances'
    __table_args__ = (
        sa.UniqueConstraint('launch_id', 'position',
                            name='uniq_launch_instances0launch_id0position'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    launch_id = sa.Column(ID, sa.ForeignKey('launches.id', ondelete='CASCADE'),
                          nullable=False)
    position = sa.Column(sa.Integer, nullable=False)
    name = sa.Column(NAME, nullable=False)
    state = sa.Column(sa.String(16), nullable=False)
    cloud = sa.Column(NAME)
    server_id = sa.Column(UUID, index=True)
    reason = sa.Column(sa.Text)
    updated_at = sa.Column(Timestamp, nullable=False)

    launch = orm.relationship('Launch', back_populates='instances')
    attempts = orm.relationship(
        'LaunchAttempt', back_populates='instance', lazy='selectin',
        order_by='LaunchAttempt.number', cascade='all, delete-orphan')


class LaunchAttempt(Base):
    """One try of an instance on one cloud.

    ``outcome`` is None while the try runs. ``leftover`` is set when the try
    failed and what it created could not be confirmed deleted: its
    reservation goes on holding the quota, and the leak cleanup (which
    finds such servers by the names the launch tried) deletes it.
    """

    __tablename__ = 'launch_attempts'
    __table_args__ = (
        sa.UniqueConstraint('instance_id', 'number',
                            name='uniq_launch_attempts0instance_id0number'),
        sa.Index('launch_attempts_cloud_key_name_idx', 'cloud', 'key_name'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    instance_id = sa.Column(sa.Integer, sa.ForeignKey(
        'launch_instances.id', ondelete='CASCADE'), nullable=False)
    number = sa.Column(sa.Integer, nullable=False)
    cloud = sa.Column(NAME, nullable=False)
    flavor_id = sa.Column(NAME, nullable=False)
    image_id = sa.Column(NAME, nullable=False)
    #: JSON list of the network ids placement chose; None: Nova's ``auto``.
    network_ids = sa.Column(sa.Text)
    #: The MultiOS key pair this attempt boots with, once it is there.
    key_name = sa.Column(NAME)
    server_id = sa.Column(UUID)
    outcome = sa.Column(sa.String(16))
    reason = sa.Column(sa.Text)
    leftover = sa.Column(sa.Boolean, nullable=False)
    started_at = sa.Column(Timestamp, nullable=False)
    ended_at = sa.Column(Timestamp)

    instance = orm.relationship('LaunchInstance', back_populates='attempts')


class CloudUsage(Base):
    """A cloud's limits and usage as last read from Nova, shared by all.

    ``read_at`` is when that read was sent. The row is what a placement
    decision locks (``SELECT ... FOR UPDATE``) to serialise decisions on
    the cloud across processes.
    """

    __tablename__ = 'cloud_usage'

    cloud = sa.Column(NAME, primary_key=True)
    limits = sa.Column(sa.Text)
    read_at = sa.Column(Timestamp)


class Reservation(Base):
    """Quota an attempt takes on its cloud until Nova counts it.

    ``counted_after`` is when Nova is known to count the server (it left
    scheduling, or the attempt ended): a read of the limits sent after that
    includes it, and the reservation stops counting.
    """

    __tablename__ = 'reservations'
    __table_args__ = (
        sa.UniqueConstraint('attempt_id',
                            name='uniq_reservations0attempt_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    attempt_id = sa.Column(sa.Integer, sa.ForeignKey(
        'launch_attempts.id', ondelete='CASCADE'), nullable=False)
    cloud = sa.Column(NAME, nullable=False, index=True)
    instances = sa.Column(sa.Integer, nullable=False)
    cores = sa.Column(sa.Integer, nullable=False)
    ram = sa.Column(sa.Integer, nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)
    counted_after = sa.Column(Timestamp)

    attempt = orm.relationship('LaunchAttempt')


class LeakSighting(Base):
    """A leaked server seen by a cleanup pass; deleted by a later one."""

    __tablename__ = 'leak_sightings'
    __table_args__ = (
        sa.UniqueConstraint('cloud', 'server_id',
                            name='uniq_leak_sightings0cloud0server_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    cloud = sa.Column(NAME, nullable=False)
    server_id = sa.Column(UUID, nullable=False)
    launch_id = sa.Column(ID, nullable=False)
    first_seen_at = sa.Column(Timestamp, nullable=False)


class Lease(Base):
    """Who may do a one-at-a-time job (the leak cleanup) until when."""

    __tablename__ = 'leases'

    name = sa.Column(sa.String(64), primary_key=True)
    holder = sa.Column(ID, nullable=False)
    expires_at = sa.Column(Timestamp, nullable=False)


class RateLimitKey(Base):
    """One rate-limited key (e.g. a project on os-fping); its lock row."""

    __tablename__ = 'rate_limit_keys'

    key = sa.Column(NAME, primary_key=True)


class RateLimitHit(Base):
    __tablename__ = 'rate_limit_hits'
    __table_args__ = (sa.Index('rate_limit_hits_key_hit_at_idx', 'key',
                               'hit_at'),)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    key = sa.Column(NAME, sa.ForeignKey('rate_limit_keys.key',
                                        ondelete='CASCADE'), nullable=False)
    hit_at = sa.Column(Timestamp, nullable=False)


class RegisteredCloud(Base):
    """A cloud registered through the API; ``settings`` is JSON.

    ``secret`` is the operator account's password, encrypted (Fernet) with
    the credential key repository: never stored nor returned in clear.
    """

    __tablename__ = 'registered_clouds'

    name = sa.Column(NAME, primary_key=True)
    settings = sa.Column(sa.Text, nullable=False)
    secret = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)
    updated_at = sa.Column(Timestamp, nullable=False)


class KeyPair(Base):
    """A key pair MultiOS imported (or is importing) into a cloud.

    One row per (cloud, name), whoever launched with it: the row a launch
    locks to start using the key pair, or to delete it. ``deleting_by`` is
    the process deleting it since ``deleting_at``; meanwhile no launch
    starts using it.
    """

    __tablename__ = 'key_pairs'

    cloud = sa.Column(NAME, primary_key=True)
    name = sa.Column(NAME, primary_key=True)
    project_id = sa.Column(NAME, nullable=False)
    user_id = sa.Column(NAME, nullable=False)
    launch_id = sa.Column(ID, nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)
    deleting_by = sa.Column(ID)
    deleting_at = sa.Column(Timestamp)
