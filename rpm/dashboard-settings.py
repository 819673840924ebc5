# SPDX-License-Identifier: Apache-2.0
# Horizon settings of the MultiOS panels (openstack-dashboard-multios).
# The panels call the MultiOS API with each user's token: the API of the
# "multios" service in the user's Keystone catalog, or the URL below. No
# cloud account is on this host. Actions are shown by the API's own policy:
# its defaults come with the panels; a multios_policy.yaml beside Horizon's
# other policy files (POLICY_FILES_PATH) overrides them, as the API's own
# /etc/multios/policy.yaml does.
from multios_dashboard.utils import settings as _multios_settings

# MULTIOS_API_URL = 'http://127.0.0.1:8790/v1'
_multios_settings.add_policy(POLICY_FILES, DEFAULT_POLICY_FILES,  # noqa: F821
                             POLICY_DIRS)  # noqa: F821
