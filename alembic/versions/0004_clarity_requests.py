"""clarity requests: the questions of an agent that found a ticket unclear

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 18:37:02.038352

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('clarity_requests',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('agent', sa.String(length=255), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_clarity_requests_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_clarity_requests'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('clarity_requests')
