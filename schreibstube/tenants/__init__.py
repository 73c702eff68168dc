"""Tenants, users, roles and the one permission gate."""
