"""Advisor console: video consultations between public-service staff and citizens."""

__version__ = "0.1.0"
