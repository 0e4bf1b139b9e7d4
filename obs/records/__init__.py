"""Recording: entry checks, create, amend, history, soft delete, listing, value parsing."""
