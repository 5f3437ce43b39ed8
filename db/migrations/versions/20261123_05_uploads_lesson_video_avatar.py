"""Uploads (who uploaded what, for what, its checks and status), lesson attachments, a lesson's
video (original upload, transcoding status and progress, HLS and poster keys) and user avatars.

lessons.video_upload_id and uploads.lesson_id point at each other; the lessons side is the
one added afterwards, so neither table needs the other to exist first.

Revision ID: 20261123_05
Revises: 20261123_04
Create Date: 2026-11-23 14:20:03.242582
"""

import sqlalchemy as sa
from alembic import op

revision = "20261123_05"
down_revision = "20261123_04"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "uploads",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("lesson_id", sa.Uuid(), nullable=True),
        sa.Column("course_id", sa.Uuid(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("storage_key", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "purpose IN ('lesson_video', 'thumbnail', 'attachment', 'avatar')",
            name=op.f("ck_uploads_purpose_is_known"),
        ),
        sa.CheckConstraint(
            "status IN ('signed', 'uploaded', 'attached', 'rejected')",
            name=op.f("ck_uploads_status_is_known"),
        ),
        sa.CheckConstraint("size > 0", name=op.f("ck_uploads_size_positive")),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_uploads_course_id_courses"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["lessons.id"],
            name=op.f("fk_uploads_lesson_id_lessons"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_uploads_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_uploads_storage_key")),
    )
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.create_index("ix_uploads_course_id", ["course_id"], unique=False)
        batch_op.create_index("ix_uploads_lesson_id", ["lesson_id"], unique=False)
        batch_op.create_index(
            "ix_uploads_status_expires_at", ["status", "expires_at"], unique=False
        )
        batch_op.create_index(
            "ix_uploads_user_id_created_at", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "lesson_attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("lesson_id", sa.Uuid(), nullable=False),
        sa.Column("upload_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["lessons.id"],
            name=op.f("fk_lesson_attachments_lesson_id_lessons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["uploads.id"],
            name=op.f("fk_lesson_attachments_upload_id_uploads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_attachments")),
        sa.UniqueConstraint("upload_id", name=op.f("uq_lesson_attachments_upload_id")),
    )
    with op.batch_alter_table("lesson_attachments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_lesson_attachments_lesson_id_position", ["lesson_id", "position"], unique=False
        )

    with op.batch_alter_table("lessons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("video_upload_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("video_status", sa.String(length=12), nullable=True))
        batch_op.add_column(
            sa.Column("video_progress", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("video_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("video_hls_key", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("video_poster_key", sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_lessons_video_upload_id_uploads"),
            "uploads",
            ["video_upload_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_lessons_video_status_is_known"),
            "video_status IS NULL OR video_status IN ('pending', 'processing', 'ready', 'failed')",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_lessons_video_progress_is_percent"), "video_progress BETWEEN 0 AND 100"
        )

    # Not in batch mode: rebuilding users on SQLite would lose its lower(email) index.
    op.add_column("users", sa.Column("avatar_key", sa.String(length=500), nullable=True))


def downgrade():
    op.drop_column("users", "avatar_key")

    with op.batch_alter_table("lessons", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_lessons_video_progress_is_percent"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_lessons_video_status_is_known"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_lessons_video_upload_id_uploads"), type_="foreignkey"
        )
        batch_op.drop_column("video_poster_key")
        batch_op.drop_column("video_hls_key")
        batch_op.drop_column("video_error")
        batch_op.drop_column("video_progress")
        batch_op.drop_column("video_status")
        batch_op.drop_column("video_upload_id")

    with op.batch_alter_table("lesson_attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_lesson_attachments_lesson_id_position")

    op.drop_table("lesson_attachments")
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.drop_index("ix_uploads_user_id_created_at")
        batch_op.drop_index("ix_uploads_status_expires_at")
        batch_op.drop_index("ix_uploads_lesson_id")
        batch_op.drop_index("ix_uploads_course_id")

    op.drop_table("uploads")
