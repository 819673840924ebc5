# SPDX-License-Identifier: Apache-2.0
"""Launch specs: key pairs MultiOS imports, networks placement chose.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-15
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _timestamp():
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql',
                                      'mariadb')


def upgrade():
    op.add_column('launch_attempts', sa.Column('network_ids', sa.Text))
    op.add_column('launch_attempts', sa.Column('key_name', sa.String(255)))
    op.create_index('launch_attempts_cloud_key_name_idx', 'launch_attempts',
                    ['cloud', 'key_name'])
    op.create_table(
        'key_pairs',
        sa.Column('cloud', sa.String(255), primary_key=True),
        sa.Column('name', sa.String(255), primary_key=True),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('user_id', sa.String(255), nullable=False),
        sa.Column('launch_id', sa.String(64), nullable=False),
        sa.Column('created_at', _timestamp(), nullable=False),
        sa.Column('deleting_by', sa.String(64)),
        sa.Column('deleting_at', _timestamp()))
