from multios_dashboard.api import multios  # noqa: F401
