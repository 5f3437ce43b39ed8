"""Courses and their lessons."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    column,
    func,
    select,
    table,
    text,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from pathshala.columns import Timestamps, UTCDateTime, uuid_pk
from pathshala.extensions import db
from pathshala.users.models import User

LEVELS = ("beginner", "intermediate", "advanced")
CURRENCIES = ("INR",)


class Course(Timestamps, db.Model):
    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("level IN ('beginner', 'intermediate', 'advanced')", name="level_is_known"),
        Index("ix_courses_instructor_id", "instructor_id"),
        # The catalog: published, not archived, newest first / by title / by price.
        Index("ix_courses_catalog_created", "is_published", "archived_at", "created_at"),
        Index("ix_courses_catalog_title", "is_published", "archived_at", "title"),
        Index("ix_courses_catalog_price", "is_published", "archived_at", "price"),
        Index("ix_courses_category", "category"),
        # The catalog's category filter compares lower(category).
        Index("ix_courses_lower_category", text("lower(category)")),
        Index("ix_courses_level", "level"),
        CheckConstraint(
            "certificate_pass_percent IS NULL OR certificate_pass_percent BETWEEN 1 AND 100",
            name="certificate_pass_percent_in_range",
        ),
        # ix_courses_catalog_newest follows the class: it orders by column expressions.
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    slug: Mapped[str] = mapped_column(String(220), nullable=False, unique=True)
    subtitle: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    price: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # paise
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="INR")
    level: Mapped[str] = mapped_column(String(20), nullable=False, default="beginner")
    category: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    language: Mapped[str] = mapped_column(String(40), nullable=False, default="English")
    thumbnail_ref: Mapped[str | None] = mapped_column(String(500))
    is_published: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    instructor_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    # Null: finishing every lesson earns the certificate. A percent: every graded piece of
    # classwork must also reach that share of its points.
    certificate_pass_percent: Mapped[int | None] = mapped_column(Integer)

    instructor: Mapped[User] = relationship()
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course",
        order_by="Lesson.position",
        cascade="all, delete-orphan",
        lazy="raise",
    )

    @property
    def is_free(self) -> bool:
        return self.price == 0


# The catalog's sorts ("newest", "title", "price"), each read in index order with its
# tie-break: the partial predicate is the catalog's WHERE (Postgres), so a page stops
# reading after its LIMIT rows instead of sorting every published course.
_CATALOG_ONLY = text("is_published AND archived_at IS NULL")
Index(
    "ix_courses_catalog_newest",
    Course.published_at.desc().nulls_last(),
    Course.created_at.desc(),
    Course.id,
    postgresql_where=_CATALOG_ONLY,
)
Index("ix_courses_catalog_by_title", Course.title, Course.id, postgresql_where=_CATALOG_ONLY)
Index("ix_courses_catalog_by_price", Course.price, Course.id, postgresql_where=_CATALOG_ONLY)


class Lesson(Timestamps, db.Model):
    __tablename__ = "lessons"
    __table_args__ = (
        CheckConstraint("duration_seconds >= 0", name="duration_not_negative"),
        CheckConstraint(
            "video_status IS NULL OR video_status IN ('pending', 'processing', 'ready', 'failed')",
            name="video_status_is_known",
        ),
        CheckConstraint("video_progress BETWEEN 0 AND 100", name="video_progress_is_percent"),
        Index("ix_lessons_course_id_position", "course_id", "position"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    course_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False
    )
    section_title: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    is_free_preview: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    duration_seconds: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # The lesson's video: the uploaded original (kept), and its HLS renditions once
    # transcoded. video_status is null while the lesson has no video.
    video_upload_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("uploads.id", ondelete="SET NULL", use_alter=True)
    )
    video_status: Mapped[str | None] = mapped_column(String(12))
    video_progress: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    video_error: Mapped[str | None] = mapped_column(Text)
    #: the master playlist's storage key (lessons/<id>/hls/<version>/master.m3u8)
    video_hls_key: Mapped[str | None] = mapped_column(String(500))
    video_poster_key: Mapped[str | None] = mapped_column(String(500))

    course: Mapped[Course] = relationship(back_populates="lessons")


# Aggregates: lists load them for a page at once (courses.service._load_aggregates), or
# undefer them in a query without OFFSET.
_enrollments = table("enrollments", column("course_id"), column("status"))
Course.lesson_count = column_property(
    select(func.count(Lesson.id)).where(Lesson.course_id == Course.id).scalar_subquery(),
    deferred=True,
)
Course.total_duration_seconds = column_property(
    select(func.coalesce(func.sum(Lesson.duration_seconds), 0))
    .where(Lesson.course_id == Course.id)
    .scalar_subquery(),
    deferred=True,
)
Course.enrollment_count = column_property(
    select(func.count())
    .select_from(_enrollments)
    .where(_enrollments.c.course_id == Course.id, _enrollments.c.status == "active")
    .scalar_subquery(),
    deferred=True,
)
