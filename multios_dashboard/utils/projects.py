# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Names of the home Keystone's projects, for the ids servers carry."""

from horizon import exceptions
from openstack_dashboard.api import keystone


def names(request, project_ids):
    """{project id: name} of the given ids, as the user may know them.

    The user's own projects come from their token; any other id (an
    admin's view of every project) from one project list, as Horizon's
    admin Instances page does. An id Keystone does not know maps to no
    name, so the id is shown.
    """
    known = {project.id: project.name
             for project in request.user.authorized_tenants}
    wanted = set(project_ids) - set(known) - {None}
    if wanted:
        try:
            projects, _more = keystone.tenant_list(request)
            known.update((project.id, project.name) for project in projects)
        except Exception:
            exceptions.handle(request, ignore=True)
    return known
