"""Reusable widgets that need no service."""
