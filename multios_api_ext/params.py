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

"""Query-string parameters shared by several resources."""

from oslo_utils import strutils
import webob.exc

from multios import exception


def all_tenants(req):
    """Nova's all_tenants: present and empty, or a boolean string."""
    if 'all_tenants' not in req.GET:
        return False
    value = req.GET['all_tenants']
    if value == '':
        return True
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise webob.exc.HTTPBadRequest(
            explanation='Invalid all_tenants value %s: use 1, 0, true or '
                        'false.' % exception.short_repr(value))


def scope(req, caller, enforcer, rule, all_tenants_rule):
    """Authorize a listing -> whether it is of every project.

    ``rule`` lets the caller list their project's; ``all_tenants_rule``
    every project's, when the request asks for all_tenants.
    """
    enforcer.authorize(caller, rule)
    every_project = all_tenants(req)
    if every_project:
        enforcer.authorize(caller, all_tenants_rule)
    return every_project
