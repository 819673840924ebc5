"""MultiOS: one workload over many independent OpenStack clouds."""
