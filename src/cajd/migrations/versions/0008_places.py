"""places and translations: the gazetteer of cities and venues, and cajd's own translated text

New tables only (no column of an existing table changes), created with their inline CHECKs as 0006
does.

Revision ID: 0008_places
Revises: 0007_document_adoption
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_places"
down_revision = "0007_document_adoption"
branch_labels = None
depends_on = None


def _vocab(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _tracked() -> list[sa.Column[object]]:
    return [
        sa.Column("origin", _vocab("origin", "dataset", "workspace"),
                  server_default="dataset", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=80), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "place",
        sa.Column("kind", _vocab("placekind", "city", "venue"), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("city_id", sa.String(length=120), nullable=True),
        sa.Column("id", sa.String(length=120), nullable=False),
        *_tracked(),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("name_ja", sa.String(length=300), nullable=True),
        sa.Column("name_ru", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["city_id"], ["place.id"], name="fk_place_city_id_place"),
        sa.PrimaryKeyConstraint("id", name="pk_place"),
        sa.UniqueConstraint("kind", "country", "name_en", name="uq_place_kind"),
    )
    op.create_index("ix_place_city_id", "place", ["city_id"])
    op.create_table(
        "translation",
        sa.Column("subject_kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=120), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=120), nullable=False),
        *_tracked(),
        sa.PrimaryKeyConstraint("id", name="pk_translation"),
        sa.UniqueConstraint("subject_kind", "subject_id", "field", "lang",
                            name="uq_translation_subject_kind"),
    )
    op.create_index("ix_translation_subject", "translation", ["subject_kind", "subject_id"])


def downgrade() -> None:
    op.drop_index("ix_translation_subject", table_name="translation")
    op.drop_table("translation")
    op.drop_index("ix_place_city_id", table_name="place")
    op.drop_table("place")
