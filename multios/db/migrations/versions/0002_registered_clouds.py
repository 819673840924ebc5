# SPDX-License-Identifier: Apache-2.0
"""Clouds registered through the API.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def _timestamp():
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql',
                                      'mariadb')


def upgrade():
    op.create_table(
        'registered_clouds',
        sa.Column('name', sa.String(255), primary_key=True),
        sa.Column('settings', sa.Text, nullable=False),
        sa.Column('secret', sa.Text, nullable=False),
        sa.Column('created_at', _timestamp(), nullable=False),
        sa.Column('updated_at', _timestamp(), nullable=False))
