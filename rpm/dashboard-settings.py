# Horizon settings of the MultiOS panels (openstack-dashboard-multios).
# Horizon's user (apache) must be in the multios group to read
# MULTIOS_CONFIG_FILE; clouds registered from the Admin panel are written to
# MULTIOS_CONFIG_DIR, readable by that user alone.
MULTIOS_CONFIG_FILE = '/etc/multios/multios.conf'
MULTIOS_CONFIG_DIR = '/etc/multios/clouds.d'
