"""The database every MultiOS process shares (see models.py)."""
