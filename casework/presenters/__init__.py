"""Presenters: plain objects and helpers that shape data for templates (no writes, no requests)."""
