# SPDX-License-Identifier: Apache-2.0
"""Federation: parallel fan-out, partial results, tenancy, config reload."""

import os
import tempfile
import time
import types
import unittest
from unittest import mock

from novaclient import exceptions as nova_exc
from oslo_config import cfg

from multios import conf as multios_conf
from multios import context
from multios import exception
from multios import federation

CLOUD = """
[cloud:{name}]
auth_url = http://127.0.0.1:1/v3
username = admin
password = s3cret
project_name = admin
api_timeout = {timeout}
"""

MEMBER = context.RequestContext(project_id='p1', user_id='u1')
# Server ids as Nova makes them.
B1 = '0b1b1b1b-0000-4000-8000-000000000001'
X1 = '0c1c1c1c-0000-4000-8000-000000000001'
ZZ = '0d1d1d1d-0000-4000-8000-000000000001'
OTHER = context.RequestContext(project_id='p2', user_id='u2')
ADMIN = context.RequestContext(project_id='ops', user_id='root',
                               is_admin=True)


def nova_server(server_id, project_id=None, cloud_status='ACTIVE'):
    metadata = {}
    if project_id:
        metadata = {federation.META_PROJECT_ID: project_id,
                    federation.META_USER_ID: 'u-' + project_id,
                    federation.META_REQUEST_ID: 'req-1'}
    return types.SimpleNamespace(
        id=server_id, name='vm-' + server_id, status=cloud_status,
        metadata=metadata,
        addresses={'private': [{'addr': '10.0.0.5', 'version': 4}]},
        flavor={'original_name': 'm1.tiny', 'vcpus': 1},
        image={'id': 'img-1'}, created='2026-11-23T10:00:00Z')


class FederationTestCase(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.conf_d = os.path.join(self.tmp.name, 'conf.d')
        os.makedirs(self.conf_d)
        path = os.path.join(self.tmp.name, 'multios.conf')
        with open(path, 'w') as f:
            f.write('[DEFAULT]\nclouds = alpha,beta,gamma\n' + ''.join(
                CLOUD.format(name=n, timeout=0.5)
                for n in ('alpha', 'beta', 'gamma')))
        self.conf = multios_conf.load(
            ['--config-file', path, '--config-dir', self.conf_d],
            conf=cfg.ConfigOpts())
        self.fed = federation.Federation(self.conf)

    def patch_cloud(self, name, method, **kwargs):
        patcher = mock.patch.object(self.fed.cloud(name), method, **kwargs)
        self.addCleanup(patcher.stop)
        return patcher.start()

    def patch_lists(self, servers_by_cloud):
        for name, servers in servers_by_cloud.items():
            if isinstance(servers, Exception):
                self.patch_cloud(name, 'list_servers', side_effect=servers)
            else:
                self.patch_cloud(name, 'list_servers', return_value=servers)


class ListServersTest(FederationTestCase):

    def test_partial_result_names_the_failing_cloud(self):
        self.patch_lists({
            'alpha': [nova_server('a1', 'p1')],
            'beta': exception.CloudUnavailable(name='beta',
                                               reason='cannot connect'),
            'gamma': [nova_server('g1', 'p1')]})
        result = self.fed.list_servers(MEMBER)
        self.assertEqual(['a1', 'g1'], [s.id for s in result.items])
        self.assertEqual(['alpha', 'gamma'], [s.cloud for s in result.items])
        self.assertEqual([federation.CloudError('beta', 'cannot connect')],
                         result.errors)

    def test_wall_time_follows_the_slowest_cloud(self):
        def slow(all_tenants):
            time.sleep(0.3)
            return []
        for name in ('alpha', 'beta', 'gamma'):
            self.patch_cloud(name, 'list_servers', side_effect=slow)
        started = time.monotonic()
        self.fed.list_servers(MEMBER)
        self.assertLess(time.monotonic() - started, 0.55)

    def test_a_hung_cloud_is_cut_at_its_timeout(self):
        def hang(all_tenants):
            time.sleep(3)
        self.patch_lists({'alpha': [nova_server('a1', 'p1')], 'gamma': []})
        self.patch_cloud('beta', 'list_servers', side_effect=hang)
        started = time.monotonic()
        result = self.fed.list_servers(MEMBER)
        elapsed = time.monotonic() - started
        self.assertLess(elapsed, 0.5 + federation.DEADLINE_GRACE + 0.3)
        self.assertEqual(['a1'], [s.id for s in result.items])
        self.assertEqual([federation.CloudError('beta',
                                                'no answer within 0.5s')],
                         result.errors)

    def test_member_sees_only_servers_of_their_project(self):
        self.patch_lists({'alpha': [nova_server('a1', 'p1'),
                                    nova_server('a2', 'p2'),
                                    nova_server('a3')],
                          'beta': [], 'gamma': []})
        self.assertEqual(['a1'],
                         [s.id for s in self.fed.list_servers(MEMBER).items])
        self.assertEqual(['a2'],
                         [s.id for s in self.fed.list_servers(OTHER).items])

    def test_admin_all_tenants_sees_every_server(self):
        listing = self.patch_cloud('alpha', 'list_servers', return_value=[
            nova_server('a1', 'p1'), nova_server('a3')])
        self.patch_lists({'beta': [], 'gamma': []})
        result = self.fed.list_servers(ADMIN, all_tenants=True)
        self.assertEqual(['a1', 'a3'], [s.id for s in result.items])
        listing.assert_called_once_with(True)

    def test_admin_without_all_tenants_sees_own_project(self):
        self.patch_lists({'alpha': [nova_server('a1', 'p1'),
                                    nova_server('a4', 'ops')],
                          'beta': [], 'gamma': []})
        self.assertEqual(['a4'],
                         [s.id for s in self.fed.list_servers(ADMIN).items])

    def test_all_tenants_by_a_member_is_forbidden(self):
        self.assertRaises(exception.Forbidden, self.fed.list_servers,
                          MEMBER, all_tenants=True)

    def test_one_cloud_only(self):
        self.patch_lists({'alpha': [nova_server('a1', 'p1')],
                          'beta': [nova_server('b1', 'p1')]})
        result = self.fed.list_servers(MEMBER, cloud='beta')
        self.assertEqual(['b1'], [s.id for s in result.items])
        self.assertRaises(exception.CloudNotFound, self.fed.list_servers,
                          MEMBER, cloud='nowhere')


class ServerTest(FederationTestCase):

    @staticmethod
    def raise_(error):
        raise error

    def test_from_nova_reads_owner_and_details(self):
        server = federation.Server.from_nova('beta', nova_server('b1', 'p1'))
        self.assertEqual('beta', server.cloud)
        self.assertEqual('p1', server.project_id)
        self.assertEqual('u-p1', server.user_id)
        self.assertEqual('req-1', server.request_id)
        self.assertEqual('m1.tiny', server.flavor)
        self.assertEqual('img-1', server.image)
        self.assertTrue(server.is_multios)
        self.assertEqual('10.0.0.5',
                         server.to_dict()['addresses']['private'][0]['addr'])

    def test_nova_status_fields_and_fault_keep_nova_names(self):
        nova = nova_server(B1, 'p1', cloud_status='ERROR')
        setattr(nova, 'OS-EXT-STS:task_state', None)
        setattr(nova, 'OS-EXT-STS:vm_state', 'error')
        setattr(nova, 'OS-EXT-STS:power_state', 0)
        nova.fault = {'code': 500, 'created': '2026-11-23T10:00:01Z',
                      'message': 'No valid host', 'details': 'Traceback...'}
        shown = federation.Server.from_nova('beta', nova).to_dict()
        self.assertEqual((None, 'error', 0), tuple(
            shown['OS-EXT-STS:' + f]
            for f in ('task_state', 'vm_state', 'power_state')))
        self.assertEqual({'code': 500, 'created': '2026-11-23T10:00:01Z',
                          'message': 'No valid host'}, shown['fault'])
        self.assertNotIn('task_state', shown)
        self.assertNotIn('attempts', shown)

    def test_actions_go_to_the_servers_own_cloud_only(self):
        server = federation.Server(id=B1, name='vm', cloud='beta',
                                   status='ACTIVE')
        calls = {name: self.patch_cloud(name, 'stop_server')
                 for name in ('alpha', 'beta', 'gamma')}
        self.fed.stop_server(server)
        calls['beta'].assert_called_once_with(B1)
        calls['alpha'].assert_not_called()
        calls['gamma'].assert_not_called()
        reboot = self.patch_cloud('beta', 'reboot_server')
        self.fed.reboot_server(server, 'HARD')
        reboot.assert_called_once_with(B1, 'HARD')
        self.patch_cloud('beta', 'console_output', return_value='login:')
        self.assertEqual('login:', self.fed.console_output(server, 5))

    def test_novas_refusals_of_an_action_are_core_errors(self):
        server = federation.Server(id=B1, name='vm', cloud='beta',
                                   status='ACTIVE')
        start = self.patch_cloud('beta', 'start_server')
        cases = [(nova_exc.Conflict(409, "Cannot 'start' instance while "
                                    "it is in vm_state active"),
                  exception.Conflict, "vm_state active"),
                 (nova_exc.NotFound(404), exception.ServerNotFound, B1),
                 (nova_exc.BadRequest(400, 'bad length'), exception.Invalid,
                  'bad length'),
                 (nova_exc.Forbidden(403, 'policy'),
                  exception.CloudUnavailable, 'beta')]
        for error, raised, text in cases:
            start.side_effect = error
            with self.assertRaises(raised) as ctx:
                self.fed.start_server(server)
            self.assertIn(text, str(ctx.exception))

    def test_flavors_and_images_by_name_say_which_clouds_have_them(self):
        flavor = types.SimpleNamespace(id='1', name='m1.tiny', vcpus=1,
                                       ram=512, disk=1)
        self.patch_cloud('alpha', 'flavors', return_value=[flavor])
        self.patch_cloud('beta', 'flavors', return_value=[
            types.SimpleNamespace(id='7', name='m1.big', vcpus=8, ram=8192,
                                  disk=80), flavor])
        self.patch_cloud('gamma', 'flavors', side_effect=(
            exception.CloudUnavailable(name='gamma', reason='hung')))
        result = self.fed.flavors_by_name()
        self.assertEqual([
            {'name': 'm1.big', 'clouds': [
                {'cloud': 'beta', 'id': '7', 'vcpus': 8, 'ram': 8192,
                 'disk': 80}]},
            {'name': 'm1.tiny', 'clouds': [
                {'cloud': 'alpha', 'id': '1', 'vcpus': 1, 'ram': 512,
                 'disk': 1},
                {'cloud': 'beta', 'id': '1', 'vcpus': 1, 'ram': 512,
                 'disk': 1}]}], result.items)
        self.assertEqual(['gamma'], [e.cloud for e in result.errors])
        for name in ('alpha', 'beta', 'gamma'):
            self.patch_cloud(name, 'images', return_value=[
                {'id': 'i-' + name, 'name': 'cirros', 'status': 'ACTIVE'}])
        self.assertEqual([{'name': 'cirros', 'clouds': [
            {'cloud': name, 'id': 'i-' + name, 'status': 'active'}
            for name in ('alpha', 'beta', 'gamma')]}],
            self.fed.images_by_name().items)

    def test_get_server_searches_every_cloud(self):
        self.patch_cloud('alpha', 'get_server',
                         side_effect=nova_exc.NotFound(404))
        self.patch_cloud('beta', 'get_server',
                         return_value=nova_server(B1, 'p1'))
        self.patch_cloud('gamma', 'get_server',
                         side_effect=nova_exc.NotFound(404))
        self.assertEqual('beta', self.fed.get_server(MEMBER, B1).cloud)

    def test_get_server_on_a_named_cloud_asks_that_cloud_only(self):
        others = [self.patch_cloud(name, 'get_server')
                  for name in ('alpha', 'gamma')]
        self.patch_cloud('beta', 'get_server',
                         return_value=nova_server(B1, 'p1'))
        self.assertEqual('beta', self.fed.get_server(MEMBER, B1,
                                                     cloud='beta').cloud)
        self.patch_cloud('beta', 'get_server',
                         side_effect=nova_exc.NotFound(404))
        self.assertRaises(exception.ServerNotFound, self.fed.get_server,
                          MEMBER, B1, cloud='beta')
        self.assertRaises(exception.CloudNotFound, self.fed.get_server,
                          MEMBER, B1, cloud='nowhere')
        for call in others:
            call.assert_not_called()

    def test_other_projects_server_is_not_found(self):
        for name in ('alpha', 'gamma'):
            self.patch_cloud(name, 'get_server',
                             side_effect=nova_exc.NotFound(404))
        self.patch_cloud('beta', 'get_server',
                         return_value=nova_server(B1, 'p1'))
        self.assertRaises(exception.ServerNotFound, self.fed.get_server,
                          OTHER, B1)
        self.assertEqual(B1, self.fed.get_server(ADMIN, B1).id)

    def test_not_found_while_a_cloud_fails_is_unavailable(self):
        self.patch_cloud('alpha', 'get_server',
                         side_effect=nova_exc.NotFound(404))
        self.patch_cloud('beta', 'get_server',
                         side_effect=exception.CloudUnavailable(
                             name='beta', reason='cannot connect'))
        self.patch_cloud('gamma', 'get_server',
                         side_effect=nova_exc.NotFound(404))
        with self.assertRaises(exception.CloudUnavailable) as ctx:
            self.fed.get_server(MEMBER, X1)
        self.assertIn('beta', str(ctx.exception))

    def test_delete_servers_reports_each_failure(self):
        for name in ('alpha', 'gamma'):
            self.patch_cloud(name, 'get_server',
                             side_effect=nova_exc.NotFound(404))
        self.patch_cloud('beta', 'get_server', side_effect=lambda sid: (
            nova_server(B1, 'p1') if sid == B1
            else self.raise_(nova_exc.NotFound(404))))
        delete = self.patch_cloud('beta', 'delete_server')
        result = self.fed.delete_servers(MEMBER, [B1, ZZ])
        delete.assert_called_once_with(B1)
        self.assertEqual([B1], [s.id for s in result.items])
        self.assertEqual(1, len(result.errors))
        self.assertIn(ZZ, result.errors[0].reason)

    def test_an_id_that_is_no_uuid_is_not_found_without_a_cloud_call(self):
        calls = [self.patch_cloud(name, 'get_server')
                 for name in ('alpha', 'beta', 'gamma')]
        for server_id in ('detail', '../../x', 'сервер', ''):
            with self.assertRaises(exception.ServerNotFound):
                self.fed.get_server(ADMIN, server_id)
            with self.assertRaises(exception.ServerNotFound):
                self.fed.delete_server(ADMIN, server_id)
        for call in calls:
            call.assert_not_called()

    def test_a_client_bug_is_no_cloud_failure(self):
        """novaclient failing to read an answer is raised, not a 503."""
        self.patch_cloud('alpha', 'get_server', side_effect=KeyError('server'))
        for name in ('beta', 'gamma'):
            self.patch_cloud(name, 'get_server',
                             side_effect=nova_exc.NotFound(404))
        with self.assertRaises(KeyError):
            self.fed.get_server(MEMBER, X1)
        self.patch_lists({'alpha': TypeError('not subscriptable'),
                          'beta': [], 'gamma': []})
        self.assertRaises(TypeError, self.fed.list_servers, MEMBER)


class OperatorContextTest(FederationTestCase):

    def test_ids_of_the_first_cloud_operator_account(self):
        identity = self.patch_cloud('alpha', 'identity',
                                    return_value=('p-real', 'u-real'))
        ctx = self.fed.operator_context()
        self.assertEqual(('p-real', 'u-real', True),
                         (ctx.project_id, ctx.user_id, ctx.is_admin))
        identity.assert_called_once_with()

    def test_home_cloud_names_the_home_identity(self):
        self.conf.set_override('home_cloud', 'beta')
        self.addCleanup(self.conf.clear_override, 'home_cloud')
        self.patch_cloud('beta', 'identity', return_value=('p-b', 'u-b'))
        self.assertEqual('p-b', self.fed.operator_context().project_id)

    def test_home_cloud_that_cannot_answer(self):
        self.patch_cloud('alpha', 'identity', side_effect=(
            exception.CloudUnavailable(name='alpha', reason='cannot connect')))
        self.assertRaises(exception.CloudUnavailable,
                          self.fed.operator_context)

    def test_unknown_home_cloud_is_a_config_error(self):
        self.conf.set_override('home_cloud', 'omega')
        self.addCleanup(self.conf.clear_override, 'home_cloud')
        with self.assertRaises(exception.ConfigError) as ctx:
            multios_conf.validate(self.conf)
        self.assertIn('[DEFAULT] home_cloud: omega is not a configured cloud',
                      str(ctx.exception))


class CloudStatusTest(FederationTestCase):

    def test_status_has_usage_state_and_reason(self):
        usage = {'instances': {'used': 1, 'limit': 10}}
        self.patch_cloud('alpha', 'usage', return_value=usage)
        self.patch_cloud('beta', 'usage',
                         side_effect=exception.CloudUnavailable(
                             name='beta', reason='cannot connect'))
        self.patch_cloud('gamma', 'usage', return_value=usage)
        status = {s.name: s for s in self.fed.cloud_status()}
        self.assertEqual('up', status['alpha'].state)
        self.assertEqual(usage, status['alpha'].usage)
        self.assertEqual('down', status['beta'].state)
        self.assertEqual('cannot connect', status['beta'].reason)


class ReloadTest(FederationTestCase):

    def write_dir_cloud(self, name, timeout=0.5, filename=None):
        path = os.path.join(self.conf_d, (filename or name) + '.conf')
        with open(path, 'w') as f:
            f.write(CLOUD.format(name=name, timeout=timeout))
        # A distinct mtime even on coarse-grained file systems.
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 10 ** 9))
        return path

    def names(self):
        return [c.name for c in self.fed.clouds()]

    def test_added_changed_and_removed_cloud_files(self):
        alpha = self.fed.cloud('alpha')
        path = self.write_dir_cloud('delta')
        self.assertEqual(['alpha', 'beta', 'gamma', 'delta'], self.names())
        delta = self.fed.cloud('delta')
        self.assertIs(alpha, self.fed.cloud('alpha'))
        self.write_dir_cloud('delta', timeout=2)
        self.assertIsNot(delta, self.fed.cloud('delta'))
        self.assertEqual(2.0, self.fed.cloud('delta').settings.api_timeout)
        os.unlink(path)
        self.assertEqual(['alpha', 'beta', 'gamma'], self.names())

    def test_a_bad_file_keeps_the_previous_clouds(self):
        path = os.path.join(self.conf_d, 'bad.conf')
        with open(path, 'w') as f:
            f.write('[cloud:epsilon]\nusername = x\n')
        with self.assertLogs('multios.federation', 'ERROR') as logs:
            self.assertEqual(['alpha', 'beta', 'gamma'], self.names())
        self.assertIn('[cloud:epsilon] auth_url is required', logs.output[0])
