"""Reports: context → figures → render."""
