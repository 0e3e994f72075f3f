"""Writes: small keyword-only functions, each one transaction."""
