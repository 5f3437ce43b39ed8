"""Lesson videos, images and attachments: where the bytes live and how they are reached."""
