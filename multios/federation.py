# SPDX-License-Identifier: Apache-2.0
"""The federation: every configured cloud, called in parallel.

A fan-out submits one call per cloud to a shared thread pool and waits at
most the clouds' ``api_timeout`` (plus a small grace) in all, so its wall time
follows the slowest cloud, not the sum. A cloud that fails or does not answer
in time becomes a ``CloudError`` beside the other clouds' results; it never
fails the whole call.
"""

from concurrent import futures
import dataclasses
import threading

from keystoneauth1 import exceptions as ks_exc
from novaclient import exceptions as nova_exc
from oslo_log import log as logging
from oslo_utils import uuidutils

from multios import clouds as multios_clouds
from multios import conf as multios_conf
from multios.conf import cloud_sources
from multios import context as multios_context
from multios import exception

LOG = logging.getLogger(__name__)

META_PROJECT_ID = 'multios:project_id'
META_USER_ID = 'multios:user_id'
META_REQUEST_ID = 'multios:request_id'
#: Nova's extended status attributes, as it names them in a server body.
STATUS_PREFIX = 'OS-EXT-STS:'
STATUS_FIELDS = ('task_state', 'vm_state', 'power_state')
#: What a fault shows of Nova's (``details`` may hold the cloud's traceback).
FAULT_FIELDS = ('code', 'created', 'message')

#: Seconds a fan-out waits beyond the largest api_timeout of its clouds.
DEADLINE_GRACE = 1.0
#: Threads shared by all fan-outs; a cloud's max_concurrency bounds its share.
FANOUT_WORKERS = 64
#: What a cloud call raises when the cloud refused or failed: a partial
#: result. Anything else (a KeyError of novaclient reading an answer...) is
#: a bug on this side, never reported as the cloud's failure.
CLOUD_ERRORS = (exception.MultiOSError, nova_exc.ClientException,
                ks_exc.ClientException)


@dataclasses.dataclass(frozen=True)
class CloudError:
    """Why one cloud is missing from a federated result."""

    cloud: str
    reason: str

    def to_dict(self):
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Result:
    """Items gathered from the clouds that answered, errors for the others."""

    items: list = dataclasses.field(default_factory=list)
    errors: list = dataclasses.field(default_factory=list)

    def to_dict(self):
        return {'items': [_to_dict(i) for i in self.items],
                'errors': [e.to_dict() for e in self.errors]}


def _to_dict(item):
    return item.to_dict() if hasattr(item, 'to_dict') else item


@dataclasses.dataclass
class Server:
    """A server of one cloud, with its MultiOS owner read from metadata.

    ``launch_id``/``task`` come from the launch that made it (see
    ``LaunchService.list_servers``); ``attempts`` only when one server is
    shown (``LaunchService.get_server``).
    """

    id: str
    name: str
    cloud: str
    status: str
    project_id: str = None
    user_id: str = None
    request_id: str = None
    addresses: dict = dataclasses.field(default_factory=dict)
    flavor: str = None
    image: str = None
    created: str = None
    fault: dict = None
    task_state: str = None
    vm_state: str = None
    power_state: int = None
    launch_id: str = None
    task: str = None
    attempts: list = None
    key_name: str = None

    @classmethod
    def from_nova(cls, cloud_name, server):
        """Build from a novaclient Server (compute API 2.47 or later)."""
        metadata = getattr(server, 'metadata', None) or {}
        flavor = getattr(server, 'flavor', None) or {}
        image = getattr(server, 'image', None) or {}
        fault = getattr(server, 'fault', None)
        return cls(id=server.id,
                   name=server.name,
                   cloud=cloud_name,
                   status=server.status,
                   project_id=metadata.get(META_PROJECT_ID),
                   user_id=metadata.get(META_USER_ID),
                   request_id=metadata.get(META_REQUEST_ID),
                   addresses=getattr(server, 'addresses', None) or {},
                   flavor=flavor.get('original_name') or flavor.get('id'),
                   image=image.get('id') if isinstance(image, dict) else None,
                   created=getattr(server, 'created', None),
                   fault=({key: fault.get(key) for key in FAULT_FIELDS}
                          if fault else None),
                   task_state=getattr(server, STATUS_PREFIX + 'task_state',
                                      None),
                   vm_state=getattr(server, STATUS_PREFIX + 'vm_state', None),
                   power_state=getattr(server, STATUS_PREFIX + 'power_state',
                                       None),
                   key_name=getattr(server, 'key_name', None))

    @property
    def is_multios(self):
        """Launched by MultiOS (it carries the owner's metadata)."""
        return self.project_id is not None

    def visible_to(self, context, all_tenants=False):
        if all_tenants and context.is_admin:
            return True
        return self.project_id == context.project_id

    def to_dict(self):
        """Nova's names for Nova's fields; ``attempts`` once they were read."""
        data = dataclasses.asdict(self)
        for field in STATUS_FIELDS:
            data[STATUS_PREFIX + field] = data.pop(field)
        if self.attempts is None:
            del data['attempts']
        return data


@dataclasses.dataclass
class CloudStatus:
    """What ``multios clouds`` shows for one cloud."""

    name: str
    state: str
    latency_ms: float = None
    reason: str = None
    usage: dict = None
    draining: bool = False
    weight: float = None
    #: Where the cloud is defined: a configuration file, or "registered".
    source: str = None

    def to_dict(self):
        return dataclasses.asdict(self)


def describe(error):
    """A one-line, credential-free reason for a cloud call that failed."""
    if isinstance(error, exception.CloudUnavailable):
        return error.kwargs.get('reason') or error.format_message()
    if isinstance(error, exception.MultiOSError):
        return error.format_message()
    if isinstance(error, (nova_exc.ClientException, ks_exc.HttpError)):
        return '%s (HTTP %s)' % (error.message,
                                 multios_clouds.http_status(error))
    return '%s: %s' % (type(error).__name__, error)


def by_name(result):
    """The items of a Result grouped by their ``name`` -> a Result."""
    groups = {}
    for item in result.items:
        fields = dict(item)
        groups.setdefault(fields.pop('name'), []).append(fields)
    return Result(items=[{'name': name, 'clouds': groups[name]}
                         for name in sorted(groups, key=lambda n: n or '')],
                  errors=result.errors)


class Federation:
    """All configured clouds, re-read when their configuration changes.

    ``registry`` (multios.registry.CloudRegistry) adds the clouds registered
    through the API; when the database cannot be read, the configured
    clouds still serve. ``state_file``: where each cloud's breaker and token
    outlive the process (``cloud_state.StateFile``), or None for memory only.
    """

    def __init__(self, conf=multios_conf.CONF, registry=None,
                 state_file=None):
        self.conf = conf
        self.registry = registry
        self._state_file = state_file
        self._lock = threading.Lock()
        self._clouds = {}
        self._stamp = None
        self._executor = futures.ThreadPoolExecutor(
            max_workers=FANOUT_WORKERS, thread_name_prefix='multios-fanout')
        self._refresh(strict=True)

    def _refresh(self, strict=False):
        """Re-read the cloud sources if a file changed (a few stat calls).

        A bad change is logged and the previous clouds are kept, unless
        ``strict`` (at start), where it raises ConfigError.
        """
        stamp = (cloud_sources.stamp(self.conf), self._registry_stamp())
        if stamp == self._stamp:
            return
        with self._lock:
            if stamp == self._stamp:
                return
            self._stamp = stamp
            try:
                settings = cloud_sources.read(self.conf)
                settings.update(self._registered(settings))
            except exception.ConfigError as e:
                if strict:
                    raise
                LOG.error('Cloud configuration not reloaded: %s', e)
                return
            old = self._clouds
            self._clouds = {
                name: (old[name] if name in old and
                       old[name].settings == item
                       else multios_clouds.Cloud(item, self.conf,
                                                 self._state_file))
                for name, item in settings.items()}
            if old:
                LOG.info('Clouds reloaded: %s', ', '.join(self._clouds))

    def _registry_stamp(self):
        if self.registry is None:
            return None
        try:
            return self.registry.stamp()
        except (exception.DatabaseUnavailable,
                exception.SchemaOutdated) as e:
            LOG.warning('Registered clouds not read: %s', e)
            return 'unreadable'

    def _registered(self, configured):
        """Registered clouds whose name no configuration file took."""
        if self.registry is None or self._stamp[1] == 'unreadable':
            return {}
        return {name: item for name, item in self.registry.read().items()
                if name not in configured}

    def clouds(self):
        self._refresh()
        return list(self._clouds.values())

    def cloud(self, name):
        self._refresh()
        try:
            return self._clouds[name]
        except KeyError:
            raise exception.CloudNotFound(name=name)

    def operator_context(self):
        """The operator as the home identity knows it: ids, not names.

        They are the ids of the operator account of ``[DEFAULT] home_cloud``
        (else the first cloud), read from its Keystone (one request, whose
        token that cloud's next calls reuse); CloudUnavailable when that
        cloud cannot tell them.
        """
        project_id, user_id = self.home_cloud().identity()
        return multios_context.get_admin_context(project_id, user_id)

    def home_cloud(self):
        """The cloud of ``[DEFAULT] home_cloud``, else the first cloud."""
        clouds = self.clouds()
        if not clouds:
            raise exception.ConfigError('no cloud is configured')
        if self.conf.home_cloud:
            return self.cloud(self.conf.home_cloud)
        return clouds[0]

    def _targets(self, cloud=None):
        """The named cloud, or every enabled one."""
        if cloud is not None:
            return [self.cloud(cloud)]
        return [c for c in self.clouds() if c.enabled]

    def map(self, func, clouds=None):
        """Run ``func(cloud)`` on each cloud in parallel -> Result.

        ``func`` returns a list (its items are gathered) or one item.
        ``clouds`` defaults to every enabled cloud.
        """
        if clouds is None:
            clouds = self._targets()
        result = Result()
        if not clouds:
            return result
        pending = {self._executor.submit(func, c): c for c in clouds}
        deadline = max(c.settings.api_timeout for c in clouds)
        done, _late = futures.wait(pending, timeout=deadline + DEADLINE_GRACE)
        for future, cloud in pending.items():
            if future not in done:
                future.cancel()
                result.errors.append(CloudError(
                    cloud.name, 'no answer within %gs' % deadline))
                continue
            try:
                outcome = future.result()
            except CLOUD_ERRORS as e:
                result.errors.append(CloudError(cloud.name, describe(e)))
                continue
            if isinstance(outcome, list):
                result.items.extend(outcome)
            else:
                result.items.append(outcome)
        return result

    def list_servers(self, context, all_tenants=False, cloud=None):
        """The caller's servers on every cloud (all of them: admin only)."""
        if all_tenants and not context.is_admin:
            raise exception.Forbidden(
                reason='all_tenants is allowed to admins only')

        def list_one(target):
            return [s for s in (Server.from_nova(target.name, n)
                                for n in target.list_servers(all_tenants))
                    if s.visible_to(context, all_tenants)]

        return self.map(list_one, self._targets(cloud))

    def _find_server(self, context, server_id, cloud=None):
        """(Server or None, Result of the look-up).

        Nova's server ids are UUIDs: any other id is not found without
        asking a cloud, so that ``detail`` or ``../x`` never reaches a
        Nova URL of another resource. ``cloud``: ask that cloud only.
        """
        if not uuidutils.is_uuid_like(server_id):
            return None, Result()

        def get_one(target):
            try:
                return [Server.from_nova(target.name,
                                         target.get_server(server_id))]
            except nova_exc.NotFound:
                return []

        found = self.map(get_one, None if cloud is None
                         else [self.cloud(cloud)])
        for server in found.items:
            if server.visible_to(context, all_tenants=True):
                return server, found
        return None, found

    def get_server(self, context, server_id, cloud=None):
        """The server, wherever it is; ServerNotFound if not the caller's.

        ``cloud`` names the one cloud to ask (a caller that knows it, such
        as a page polling its row, spares the others a call). Raises
        CloudUnavailable when it was not found but a cloud that may hold it
        did not answer, CloudNotFound for an unknown ``cloud``.
        """
        server, found = self._find_server(context, server_id, cloud)
        if server is not None:
            return server
        if found.errors:
            raise exception.CloudUnavailable(
                name=', '.join(e.cloud for e in found.errors),
                reason='server %s may be there; %s' % (
                    server_id, '; '.join(e.reason for e in found.errors)))
        raise exception.ServerNotFound(server_id=server_id)

    def delete_server(self, context, server_id):
        """Delete one of the caller's servers (any server: admin)."""
        server = self.get_server(context, server_id)
        try:
            self.cloud(server.cloud).delete_server(server_id)
        except nova_exc.NotFound:
            pass
        return server

    def delete_servers(self, context, server_ids):
        """Delete several servers -> Result of deleted Servers and errors.

        Each error's ``cloud`` is the server's cloud when known, else None.
        """
        result = Result()
        for server_id in server_ids:
            try:
                result.items.append(self.delete_server(context, server_id))
            except exception.MultiOSError as e:
                result.errors.append(CloudError(
                    e.kwargs.get('name'),
                    '%s: %s' % (server_id, e.format_message())))
        return result

    def _on_its_cloud(self, server, call):
        """``call(cloud)`` on the cloud of ``server``, Nova's refusals as
        core errors: 404 ServerNotFound, 409 Conflict, 400 Invalid.
        """
        try:
            return call(self.cloud(server.cloud))
        except nova_exc.ClientException as error:
            status = multios_clouds.http_status(error)
            if status == 404:
                raise exception.ServerNotFound(server_id=server.id)
            if status == 409:
                raise exception.Conflict(reason=error.message)
            if status == 400:
                raise exception.Invalid(reason=error.message)
            raise exception.CloudUnavailable(name=server.cloud,
                                             reason=describe(error))

    def start_server(self, server):
        """Nova's os-start of a Server that ``get_server`` gave."""
        self._on_its_cloud(server, lambda c: c.start_server(server.id))

    def stop_server(self, server):
        """Nova's os-stop of a Server that ``get_server`` gave."""
        self._on_its_cloud(server, lambda c: c.stop_server(server.id))

    def reboot_server(self, server, reboot_type='SOFT'):
        """Nova's reboot (``SOFT`` or ``HARD``) of a Server."""
        self._on_its_cloud(server, lambda c: c.reboot_server(server.id,
                                                             reboot_type))

    def console_output(self, server, length=None):
        """The last ``length`` lines (all: None) of the server's console."""
        return self._on_its_cloud(
            server, lambda c: c.console_output(server.id, length))

    def flavors(self):
        """Flavors of every cloud: {"cloud", "id", "name", "vcpus", ...}."""
        def list_one(target):
            return [{'cloud': target.name, 'id': f.id, 'name': f.name,
                     'vcpus': f.vcpus, 'ram': f.ram, 'disk': f.disk}
                    for f in target.flavors()]
        return self.map(list_one)

    def images(self):
        """Images of every cloud: {"cloud", "id", "name", "status"}.

        ``status`` is lower case, as Glance writes it (Nova's proxy does not).
        """
        def list_one(target):
            return [{'cloud': target.name, 'id': i['id'], 'name': i['name'],
                     'status': (i.get('status') or '').lower()}
                    for i in target.images()]
        return self.map(list_one)

    def flavors_by_name(self):
        """``flavors()`` by name: ``{"name", "clouds": [{"cloud", "id",
        "vcpus", "ram", "disk"}]}``, names sorted, clouds in their order.
        """
        return by_name(self.flavors())

    def images_by_name(self):
        """``images()`` by name: ``{"name", "clouds": [{"cloud", "id",
        "status"}]}``; a cloud with two images of one name is there twice.
        """
        return by_name(self.images())

    def cloud_status(self):
        """State, latency and quota usage of every cloud, disabled included."""
        every = self.clouds()
        usage = self.map(lambda c: (c.name, c.usage()),
                         [c for c in every if c.enabled])
        usage_of = dict(usage.items)
        reason_of = {e.cloud: e.reason for e in usage.errors}
        return [CloudStatus(name=c.name,
                            state=('down' if c.name in reason_of and
                                   c.state == 'up' else c.state),
                            latency_ms=(round(c.health.latency_ms, 1)
                                        if c.health.latency_ms is not None
                                        else None),
                            reason=reason_of.get(c.name),
                            usage=usage_of.get(c.name),
                            draining=c.draining, weight=c.weight,
                            source=c.settings.source)
                for c in every]
