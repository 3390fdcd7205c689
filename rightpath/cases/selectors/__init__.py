"""Case work selectors (reads, narrowed by the policy), one module per area."""
