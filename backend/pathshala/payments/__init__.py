"""Payments: orders, money received, refunds, provider webhooks and the receipt series."""
