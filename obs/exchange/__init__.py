"""Taking data out and in: export, restore, backup, and push to the central server."""
