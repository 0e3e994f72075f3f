"""One ninja Router per resource; casework/api/main.py mounts them under /api/v1/."""
