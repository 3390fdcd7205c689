"""Case work services (writes), one module per area."""
