# SPDX-License-Identifier: Apache-2.0
"""Initial schema: services, launches, quota, leaks and rate limits.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def _timestamp():
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql',
                                      'mariadb')


def upgrade():
    op.create_table(
        'services',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('pid', sa.Integer, nullable=False),
        sa.Column('started_at', _timestamp(), nullable=False),
        sa.Column('heartbeat_at', _timestamp(), nullable=False))
    op.create_index('ix_services_heartbeat_at', 'services', ['heartbeat_at'])

    op.create_table(
        'launches',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('user_id', sa.String(255), nullable=False),
        sa.Column('spec', sa.Text, nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('reason', sa.Text),
        sa.Column('owner', sa.String(64)),
        sa.Column('heartbeat_at', _timestamp()),
        sa.Column('cancel_requested', sa.Boolean, nullable=False),
        sa.Column('created_at', _timestamp(), nullable=False),
        sa.Column('updated_at', _timestamp(), nullable=False),
        sa.Column('settled_at', _timestamp()))
    op.create_index('ix_launches_project_id', 'launches', ['project_id'])
    op.create_index('launches_status_heartbeat_idx', 'launches',
                    ['status', 'heartbeat_at'])

    op.create_table(
        'launch_instances',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('launch_id', sa.String(64),
                  sa.ForeignKey('launches.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('position', sa.Integer, nullable=False),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('cloud', sa.String(255)),
        sa.Column('server_id', sa.String(36)),
        sa.Column('reason', sa.Text),
        sa.Column('updated_at', _timestamp(), nullable=False),
        sa.UniqueConstraint('launch_id', 'position',
                            name='uniq_launch_instances0launch_id0position'))
    op.create_index('ix_launch_instances_server_id', 'launch_instances',
                    ['server_id'])

    op.create_table(
        'launch_attempts',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('instance_id', sa.Integer,
                  sa.ForeignKey('launch_instances.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('number', sa.Integer, nullable=False),
        sa.Column('cloud', sa.String(255), nullable=False),
        sa.Column('flavor_id', sa.String(255), nullable=False),
        sa.Column('image_id', sa.String(255), nullable=False),
        sa.Column('server_id', sa.String(36)),
        sa.Column('outcome', sa.String(16)),
        sa.Column('reason', sa.Text),
        sa.Column('leftover', sa.Boolean, nullable=False),
        sa.Column('started_at', _timestamp(), nullable=False),
        sa.Column('ended_at', _timestamp()),
        sa.UniqueConstraint('instance_id', 'number',
                            name='uniq_launch_attempts0instance_id0number'))

    op.create_table(
        'cloud_usage',
        sa.Column('cloud', sa.String(255), primary_key=True),
        sa.Column('limits', sa.Text),
        sa.Column('read_at', _timestamp()))

    op.create_table(
        'reservations',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('attempt_id', sa.Integer,
                  sa.ForeignKey('launch_attempts.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('cloud', sa.String(255), nullable=False),
        sa.Column('instances', sa.Integer, nullable=False),
        sa.Column('cores', sa.Integer, nullable=False),
        sa.Column('ram', sa.Integer, nullable=False),
        sa.Column('created_at', _timestamp(), nullable=False),
        sa.Column('counted_after', _timestamp()),
        sa.UniqueConstraint('attempt_id',
                            name='uniq_reservations0attempt_id'))
    op.create_index('ix_reservations_cloud', 'reservations', ['cloud'])

    op.create_table(
        'leak_sightings',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('cloud', sa.String(255), nullable=False),
        sa.Column('server_id', sa.String(36), nullable=False),
        sa.Column('launch_id', sa.String(64), nullable=False),
        sa.Column('first_seen_at', _timestamp(), nullable=False),
        sa.UniqueConstraint('cloud', 'server_id',
                            name='uniq_leak_sightings0cloud0server_id'))

    op.create_table(
        'leases',
        sa.Column('name', sa.String(64), primary_key=True),
        sa.Column('holder', sa.String(64), nullable=False),
        sa.Column('expires_at', _timestamp(), nullable=False))

    op.create_table(
        'rate_limit_keys',
        sa.Column('key', sa.String(255), primary_key=True))
    op.create_table(
        'rate_limit_hits',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('key', sa.String(255),
                  sa.ForeignKey('rate_limit_keys.key', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('hit_at', _timestamp(), nullable=False))
    op.create_index('rate_limit_hits_key_hit_at_idx', 'rate_limit_hits',
                    ['key', 'hit_at'])
