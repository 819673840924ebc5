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

"""The dashboard's only door into MultiOS: its REST API, as the user.

Like ``openstack_dashboard.api.nova``, every function takes the Django
``request``: the call carries the user's own Keystone token to the API
found in the user's catalog (service type ``multios``) or at the
``MULTIOS_API_URL`` setting, through ``multiosclient``. The Horizon host
holds no cloud account; the API decides by its policy what the user may
do, and the dashboard only shows what that same policy allows.
"""

import functools
import logging
import threading

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from horizon import exceptions as horizon_exceptions
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from openstack_dashboard.api import base

from multiosclient import client as multios_client
from multiosclient import exceptions as client_exceptions

LOG = logging.getLogger(__name__)

#: Seconds a call of the API may take (it waits for the slowest cloud).
DEFAULT_TIMEOUT = 120

# Horizon shows the message of its own exceptions and knows how to recover
# from them; the API's messages never hold credentials.
_HORIZON_EXCEPTIONS = {
    400: horizon_exceptions.BadRequest,
    401: horizon_exceptions.NotAuthorized,
    403: horizon_exceptions.BadRequest,
    404: horizon_exceptions.NotFound,
    409: horizon_exceptions.Conflict,
}

_session_lock = threading.Lock()
_session = None


def _shared_session():
    """One keystoneauth Session (one connection pool) for every user: each
    call brings the user's own token as its auth plugin.
    """
    global _session
    with _session_lock:
        if _session is None:
            verify = settings.OPENSTACK_SSL_CACERT or True
            if settings.OPENSTACK_SSL_NO_VERIFY:
                verify = False
            _session = ks_session.Session(
                verify=verify, timeout=getattr(settings, 'MULTIOS_API_TIMEOUT',
                                               DEFAULT_TIMEOUT))
        return _session


def endpoint(request):
    """The API's URL: MULTIOS_API_URL, else the user's catalog."""
    return (getattr(settings, 'MULTIOS_API_URL', None) or
            base.url_for(request, multios_client.SERVICE_TYPE))


def client(request):
    url = endpoint(request)
    return multios_client.Client(
        _shared_session(), endpoint_override=url,
        auth=token_endpoint.Token(url, request.user.token.id))


def _horizon_errors(func):
    """The API's faults as the Horizon exceptions views know how to show."""
    @functools.wraps(func)
    def wrapped(request, *args, **kwargs):
        try:
            return func(request, *args, **kwargs)
        except client_exceptions.OverLimit as exc:
            raise horizon_exceptions.NotAvailable(
                _('%(message)s Try again in %(seconds)s seconds.')
                % {'message': exc.message, 'seconds': exc.retry_after}
            ) from exc
        except client_exceptions.ClientException as exc:
            LOG.info('MultiOS API: %s', exc)
            horizon_exc = _HORIZON_EXCEPTIONS.get(
                exc.status, horizon_exceptions.NotAvailable)
            raise horizon_exc(exc.message) from exc
        except ks_exceptions.ConnectionError as exc:
            raise horizon_exceptions.NotAvailable(
                _('The MultiOS API did not answer: %s') % exc) from exc
    return wrapped


# Servers --------------------------------------------------------------------

@_horizon_errors
def server_list(request, all_tenants=False, cloud=None, name=None,
                status=None, limit=None, marker=None, sort_dir=None):
    """One page with ``limit`` (its ``next_marker`` names the next), else
    every server; ``errors``: the clouds that did not answer.
    """
    return client(request).servers.list(
        all_tenants=all_tenants, cloud=cloud, name=name, status=status,
        limit=limit, marker=marker, sort_dir=sort_dir)


@_horizon_errors
def server_get(request, server_id, cloud=None):
    """One server; ``cloud``, when known, is the only cloud asked."""
    return client(request).servers.get(server_id, cloud=cloud)


@_horizon_errors
def server_delete(request, server_id):
    client(request).servers.delete(server_id)


@_horizon_errors
def server_start(request, server_id):
    client(request).servers.start(server_id)


@_horizon_errors
def server_stop(request, server_id):
    client(request).servers.stop(server_id)


@_horizon_errors
def server_reboot(request, server_id, soft_reboot=True):
    client(request).servers.reboot(server_id,
                                   'SOFT' if soft_reboot else 'HARD')


@_horizon_errors
def server_console_output(request, server_id, tail_length=None):
    return client(request).servers.get_console_output(server_id,
                                                      tail_length)


@_horizon_errors
def server_launch(request, name, flavor, image, count=1, cloud=None,
                  **options):
    """Record a launch -> its LAUNCH (the API answers at once).

    ``options``: key_name or public_key, user_data, security_groups,
    networks, availability_zone (multiosclient's ``launch_body``).
    """
    return client(request).servers.create(name, flavor, image, count=count,
                                          cloud=cloud, **options)


@_horizon_errors
def launch_get(request, launch_id):
    return client(request).launches.get(launch_id)


@_horizon_errors
def placement_rank(request, name, flavor, image, count=1, cloud=None,
                   **options):
    """How the clouds rank for a launch, and its plan; creates nothing."""
    return client(request).placement.rank(name, flavor, image, count=count,
                                          cloud=cloud, **options)


@_horizon_errors
def health_check(request, server_ids=None, all_tenants=False):
    """Which servers answer fping -> their answers, with ``errors``."""
    return client(request).fping.list(all_tenants=all_tenants,
                                      include=server_ids)


# Catalog --------------------------------------------------------------------

@_horizon_errors
def flavor_list(request):
    return client(request).flavors.list()


@_horizon_errors
def image_list(request):
    return client(request).images.list()


# Clouds ---------------------------------------------------------------------

@_horizon_errors
def cloud_list(request):
    """State, latency, quota usage and source of every cloud."""
    return client(request).clouds.list()


@_horizon_errors
def cloud_create(request, name, **account):
    """Register a cloud; the API signs in with the account first."""
    return client(request).clouds.create(name, **account)


@_horizon_errors
def cloud_update(request, name, **changes):
    return client(request).clouds.update(name, **changes)


@_horizon_errors
def cloud_delete(request, name):
    client(request).clouds.delete(name)
