"""Initial schema: sources, tickets, assessments, the ready queue and applied labels.

Revision ID: 0001
Revises: 
Create Date: 2025-11-23

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('cursor', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_synced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_sources_name'))
    )
    op.create_table('tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('tracker_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_changed', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('verdict', sa.String(length=32), nullable=True),
    sa.Column('overall', sa.Integer(), nullable=True),
    sa.Column('skipped', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_tickets_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets')),
    sa.UniqueConstraint('source_id', 'key', name=op.f('uq_tickets_source_id_key'))
    )
    op.create_index(op.f('ix_tickets_key'), 'tickets', ['key'], unique=False)
    op.create_index(op.f('ix_tickets_verdict'), 'tickets', ['verdict'], unique=False)

    op.create_table('applied_labels',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('comment_digest', sa.String(length=64), nullable=True),
    sa.Column('comment_written_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_applied_labels_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_applied_labels'))
    )
    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=32), nullable=False),
    sa.Column('overall', sa.Integer(), nullable=False),
    sa.Column('dimensions', sa.JSON(), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('missing', sa.JSON(), nullable=False),
    sa.Column('blockers', sa.JSON(), nullable=False),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('estimate_low', sa.Float(), nullable=False),
    sa.Column('estimate_high', sa.Float(), nullable=False),
    sa.Column('estimate_basis', sa.String(length=32), nullable=False),
    sa.Column('scorer_version', sa.String(length=64), nullable=False),
    sa.Column('skipped', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_assessments_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    op.create_index(op.f('ix_assessments_ticket_id_id'), 'assessments', ['ticket_id', 'id'], unique=False)

    op.create_table('queue_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('agent', sa.String(length=255), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('sort_priority', sa.Integer(), nullable=False),
    sa.Column('sort_score', sa.Integer(), nullable=False),
    sa.Column('overall', sa.Integer(), nullable=False),
    sa.Column('estimate_low', sa.Float(), nullable=False),
    sa.Column('estimate_high', sa.Float(), nullable=False),
    sa.Column('ticket_created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('brief_outdated', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_queue_entries_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_entries'))
    )
    op.create_index('ix_queue_entries_ready_order', 'queue_entries', ['sort_priority', 'sort_score', 'ticket_created_at', 'id'], unique=False, sqlite_where=sa.text("state = 'ready'"), postgresql_where=sa.text("state = 'ready'"))
    op.create_index(op.f('ix_queue_entries_state_lease_expires_at'), 'queue_entries', ['state', 'lease_expires_at'], unique=False)
    op.create_index(op.f('ix_queue_entries_ticket_id'), 'queue_entries', ['ticket_id'], unique=False)
    op.create_index('uq_queue_entries_open_ticket', 'queue_entries', ['ticket_id'], unique=True, sqlite_where=sa.text("state IN ('ready', 'claimed')"), postgresql_where=sa.text("state IN ('ready', 'claimed')"))

    op.create_table('claimed_areas',
    sa.Column('area', sa.String(length=512), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['queue_entries.id'], name=op.f('fk_claimed_areas_entry_id_queue_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('area', name=op.f('pk_claimed_areas'))
    )
    op.create_index(op.f('ix_claimed_areas_entry_id'), 'claimed_areas', ['entry_id'], unique=False)

    op.create_table('queue_entry_areas',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=512), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['queue_entries.id'], name=op.f('fk_queue_entry_areas_entry_id_queue_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entry_id', 'area', name=op.f('pk_queue_entry_areas'))
    )
    op.create_index(op.f('ix_queue_entry_areas_area'), 'queue_entry_areas', ['area'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_queue_entry_areas_area'), table_name='queue_entry_areas')

    op.drop_table('queue_entry_areas')
    op.drop_index(op.f('ix_claimed_areas_entry_id'), table_name='claimed_areas')

    op.drop_table('claimed_areas')
    op.drop_index('uq_queue_entries_open_ticket', table_name='queue_entries', sqlite_where=sa.text("state IN ('ready', 'claimed')"), postgresql_where=sa.text("state IN ('ready', 'claimed')"))
    op.drop_index(op.f('ix_queue_entries_ticket_id'), table_name='queue_entries')
    op.drop_index(op.f('ix_queue_entries_state_lease_expires_at'), table_name='queue_entries')
    op.drop_index('ix_queue_entries_ready_order', table_name='queue_entries', sqlite_where=sa.text("state = 'ready'"), postgresql_where=sa.text("state = 'ready'"))

    op.drop_table('queue_entries')
    op.drop_index(op.f('ix_assessments_ticket_id_id'), table_name='assessments')

    op.drop_table('assessments')
    op.drop_table('applied_labels')
    op.drop_index(op.f('ix_tickets_verdict'), table_name='tickets')
    op.drop_index(op.f('ix_tickets_key'), table_name='tickets')

    op.drop_table('tickets')
    op.drop_table('sources')
