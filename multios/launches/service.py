# SPDX-License-Identifier: Apache-2.0
"""What the front ends call to launch, follow and cancel launches.

``accept`` is the whole of a launch's request: validation, one snapshot of
the clouds, then one transaction that decides the placement, records the
launch with its instances and their quota reservations. It never waits for
a boot: the process's ``Runner`` carries the launch afterwards.
"""

import dataclasses

from multios.db import launches as launches_db
from multios.db import quota as quota_db
from multios.db import services as services_db
from multios import exception
from multios import federation as federation_mod
from multios import keypairs
from multios.launches import states
from multios.launches import view
from multios import listing
from multios.placement import manager as placement_manager

#: Processes that carry launches nobody else carries.
CARRIERS = ('api', 'engine')


def server_names(request):
    """One name, or ``name-1``... ``name-N`` as Nova names a multi-create."""
    if request.count == 1:
        return [request.name]
    return ['%s-%d' % (request.name, i + 1) for i in range(request.count)]


def no_valid_cloud(request, ranking):
    rejections = ranking.unplaced or ranking.rejected
    reason = '; '.join('%s: %s' % (r.cloud, r.reason) for r in rejections)
    if ranking.plan:
        reason = 'only %d of %d instances fit; %s' % (
            len(ranking.plan), request.count, reason)
    return exception.NoValidCloud(rejections=rejections,
                                  reason=reason or 'no cloud is configured')


class LaunchService:

    def __init__(self, db, federation, placement, runner, conf):
        self.db = db
        self.federation = federation
        self.placement = placement
        self.runner = runner
        self.conf = conf

    @property
    def max_attempts(self):
        return self.conf.placement.max_attempts

    def accept(self, context, request, carry=True):
        """Record a launch of ``request`` -> its LAUNCH dict.

        Raises NoValidCloud when its instances cannot all be placed now.
        With ``carry`` this process runs it; otherwise it is left to any
        multios-engine or multios-api on the same database.
        """
        self.placement.validate(request)
        request = self._with_public_key(context, request)
        snapshot = self.placement.snapshot(request)
        self.placement.check_known(request, snapshot)
        owner = self.runner.id if carry else None
        ranking, launch = self.db.run(self.record, context, request, snapshot,
                                      owner)
        self.placement.commit(ranking)
        if carry:
            self.runner.submit(launch['id'])
        return launch

    def _with_public_key(self, context, request):
        """``request`` with the public key of its home ``key_name``.

        Read now, while the caller's token is at hand: whichever process
        carries the launch later finds the key in the launch's record.
        """
        if not request.key_name or request.public_key:
            return request
        public_key = keypairs.home_public_key(
            self.federation.home_cloud(), context, request.key_name)
        return dataclasses.replace(request, public_key=public_key.text)

    def record(self, session, context, request, snapshot, owner):
        """The accepting transaction: decide, record, reserve.

        -> (the Ranking, the LAUNCH dict). Raises NoValidCloud.
        """
        ranking = self.placement.decide(session, request, snapshot)
        if len(ranking.plan) < request.count:
            raise no_valid_cloud(request, ranking)
        spec = request.spec()
        # The ranking it was placed by, for whoever asks later why there.
        spec['placement'] = ranking.to_dict()
        launch = launches_db.create(session, context, spec,
                                    server_names(request), owner)
        for instance, candidate in zip(launch.instances, ranking.plan):
            attempt = launches_db.add_attempt(session, instance, candidate)
            quota_db.reserve(session, attempt, placement_manager.usage_on(
                snapshot, candidate))
        return ranking, view.launch_dict(launch, self.max_attempts)

    def _visible(self, session, context, launch_id):
        launch = launches_db.get(session, launch_id)
        if not context.is_admin and launch.project_id != context.project_id:
            raise exception.LaunchNotFound(launch_id=launch_id)
        return launch

    def get(self, context, launch_id):
        def read(session):
            return view.launch_dict(self._visible(session, context,
                                                  launch_id),
                                    self.max_attempts)
        return self.db.run(read)

    def list(self, context, all_tenants=False, limit=None):
        """The caller's launches, newest first (every project's: admin)."""
        if all_tenants and not context.is_admin:
            raise exception.Forbidden(
                reason='all_tenants is allowed to admins only')
        project_id = None if all_tenants else context.project_id

        def read(session):
            return [view.launch_dict(launch, self.max_attempts)
                    for launch in launches_db.find(session, project_id,
                                                   limit=limit)]
        return self.db.run(read)

    def cancel(self, context, launch_id):
        """Ask for a launch to be cancelled -> its LAUNCH dict.

        Whoever owns the launch deletes what it created and confirms it
        gone; raises LaunchSettled when the launch has already ended.
        """
        def request(session):
            self._visible(session, context, launch_id)
            return view.launch_dict(
                launches_db.request_cancel(session, launch_id),
                self.max_attempts)
        return self.db.run(request)

    def carriers(self):
        """multios-engine and multios-api processes alive lately."""
        return self.db.run(services_db.alive, CARRIERS,
                           self.conf.engine.adopt_after)

    def list_servers(self, context, all_tenants=False, cloud=None,
                     query=None):
        """Nova's servers with their launch, plus instances not made yet.

        -> a ``multios.listing.Page`` of what ``query`` (a
        ``listing.Query``: filters, limit, marker; default: every server)
        asks, in ``listing``'s order. An instance of an unfinished launch
        shows its ``task`` (placing, launching on beta, attempt 2 of 3,
        deleting...); one whose server Nova has not answered for yet is
        listed with ``id`` None.
        """
        result = self.federation.list_servers(context, all_tenants, cloud)
        project_id = None if all_tenants else context.project_id

        def unfinished(session):
            tasks, pending = {}, []
            for launch in launches_db.find(session, project_id,
                                           unsettled=True):
                cancelling = launch.cancel_requested
                for instance in launch.instances:
                    item = view.instance_dict(instance, cancelling,
                                              self.max_attempts)
                    if instance.server_id:
                        tasks[instance.server_id] = item['task']
                    elif instance.state not in states.INSTANCE_SETTLED and (
                            cloud is None or instance.cloud == cloud):
                        pending.append(federation_mod.Server(
                            id=None, name=instance.name,
                            cloud=instance.cloud, status='BUILD',
                            project_id=launch.project_id,
                            user_id=launch.user_id, request_id=launch.id,
                            launch_id=launch.id, task=item['task']))
            return tasks, pending

        tasks, pending = self.db.run(unfinished)
        servers = [_with_launch(server, tasks.get(server.id))
                   for server in result.items]
        return listing.page(
            federation_mod.Result(items=servers + pending,
                                  errors=result.errors),
            query or listing.Query())

    def get_server(self, context, server_id, cloud=None):
        """The caller's server with its launch's ``task`` and ``attempts``.

        ``attempts`` are those of the launch instance this server is the
        last attempt of (the clouds tried before it, and why they failed);
        empty for a server MultiOS did not launch or whose launch was
        forgotten. ``cloud``: the one cloud to ask. Raises as
        ``Federation.get_server``.
        """
        server = self.federation.get_server(context, server_id, cloud)

        def read(session):
            instance = launches_db.for_servers(session, [server.id]).get(
                server.id)
            if instance is None:
                return None
            launch = instance.launch
            cancelling = (launch.cancel_requested and
                          launch.status == states.LAUNCH_BUILDING)
            return view.instance_dict(instance, cancelling,
                                      self.max_attempts)
        item = self.db.run(read) or {'task': None, 'attempts': []}
        return dataclasses.replace(_with_launch(server, item['task']),
                                   attempts=item['attempts'])


def _with_launch(server, task):
    """``server`` naming the launch its metadata names, and its task."""
    if not server.request_id:
        return server
    return dataclasses.replace(server, launch_id=server.request_id,
                               task=task)
