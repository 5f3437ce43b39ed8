"""Uploads: signed upload URLs, the bytes' checks, and attaching them to what they are for."""
