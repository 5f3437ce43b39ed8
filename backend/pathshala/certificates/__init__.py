"""Certificates of completion that anyone can verify by their code."""
