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

"""The dashboard's only door into the MultiOS core.

Like ``openstack_dashboard.api.nova``, every function takes the Django
``request`` so that the caller's identity travels with the call; the core is
called in-process, over one process-wide ``Core``. Launches are recorded in
the database and carried by this process, or adopted by multios-engine.
"""

import functools
import os
import threading

from horizon import exceptions as horizon_exceptions
from oslo_config import cfg

import multios.conf
from multios import context as multios_context
from multios import core as multios_core
from multios import exception as multios_exception
from multios import fping
from multios import placement as multios_placement

from multios_dashboard.api import cloud_files

_lock = threading.Lock()
_core = None


# Horizon shows the message of its own exceptions to the user and knows
# how to recover from them; the core's messages never hold credentials.
_HORIZON_EXCEPTIONS = {
    400: horizon_exceptions.BadRequest,
    403: horizon_exceptions.BadRequest,
    404: horizon_exceptions.NotFound,
    409: horizon_exceptions.Conflict,
}


def _horizon_errors(func):
    """Turn core errors into the Horizon exceptions views know how to show."""
    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except multios_exception.MultiOSError as exc:
            horizon_exc = _HORIZON_EXCEPTIONS.get(
                exc.code, horizon_exceptions.NotAvailable)
            raise horizon_exc(exc.format_message()) from exc
    return wrapped


def core():
    """Build the core once per process: its clouds keep sessions, its
    placement the round-robin position, its runner the launches."""
    global _core
    with _lock:
        if _core is None:
            # Clouds registered from the dashboard live in --config-dir.
            clouds_dir = cloud_files.config_dir()
            os.makedirs(clouds_dir, mode=0o700, exist_ok=True)
            conf = cfg.ConfigOpts()
            multios.conf.load(argv=["--config-dir", clouds_dir], conf=conf,
                              default_config_files=[
                                  cloud_files.config_file()])
            _core = multios_core.Core(conf, 'dashboard')
        return _core


def federation():
    return core().federation


def context(request):
    """The caller's home identity, the owner of what they launch."""
    return multios_context.RequestContext(
        project_id=request.user.project_id,
        user_id=request.user.id,
        is_admin=request.user.is_superuser)


@_horizon_errors
def server_list(request, all_tenants=False, cloud=None):
    return core().launches.list_servers(context(request),
                                        all_tenants=all_tenants, cloud=cloud)


@_horizon_errors
def server_get(request, server_id):
    return federation().get_server(context(request), server_id)


@_horizon_errors
def server_delete(request, server_id):
    federation().delete_server(context(request), server_id)


@_horizon_errors
def flavor_list(request):
    return federation().flavors()


@_horizon_errors
def image_list(request):
    return federation().images()


@_horizon_errors
def cloud_list(request):
    return federation().clouds()


@_horizon_errors
def cloud_status(request):
    return federation().cloud_status()


@_horizon_errors
def placement_rank(request, launch_request):
    return core().placement.rank(launch_request)


@_horizon_errors
def server_launch(request, launch_request):
    """Record the launch -> its LAUNCH dict; it goes on in the background."""
    return core().launches.accept(context(request), launch_request)


def launch_request(name, flavor, image, count=1, cloud=None):
    return multios_placement.LaunchRequest(name=name, flavor=flavor,
                                           image=image, count=count,
                                           cloud=cloud)


@_horizon_errors
def health_check(request, server_ids=None, all_tenants=False):
    return fping.check(federation(), context(request),
                       all_tenants=all_tenants, include=server_ids)
