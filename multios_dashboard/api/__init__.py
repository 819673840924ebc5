from multios_dashboard.api import cloud_files  # noqa: F401
from multios_dashboard.api import multios  # noqa: F401
