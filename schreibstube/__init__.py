"""Schreibstube: a self-hostable AI assistant for German public administration."""

__version__ = "0.1.0"
