# SPDX-License-Identifier: Apache-2.0
"""The caller's *home* identity, as every front end hands it to the core."""

import dataclasses

from oslo_utils import uuidutils


@dataclasses.dataclass(frozen=True)
class RequestContext:
    """Who is asking: the API, the dashboard or the CLI builds one per call.

    ``project_id``/``user_id`` name the caller in the home identity; they are
    written into the metadata of every server the caller launches and used to
    filter what the caller may see. ``auth_token`` is the caller's token of
    the home Keystone when a front end has one (the API): what the core
    reads of the caller's own in the home cloud (a key pair) it reads with
    it. Never shown in a repr or a log line.
    """

    project_id: str | None
    user_id: str | None
    is_admin: bool = False
    request_id: str | None = None
    auth_token: str | None = dataclasses.field(default=None, repr=False)

    def __post_init__(self):
        if self.request_id is None:
            object.__setattr__(
                self, 'request_id', 'req-' + uuidutils.generate_uuid())


def get_admin_context(project_id=None, user_id=None):
    """The operator's context.

    Without ids it may only act on every project at once (``all_tenants``)
    or on a server by id: ``Federation.operator_context`` gives it the ids
    of the operator account in the home identity, which anything that
    launches, or lists the operator's own servers, needs.
    """
    return RequestContext(project_id=project_id, user_id=user_id,
                          is_admin=True)
