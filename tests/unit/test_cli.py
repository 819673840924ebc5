# SPDX-License-Identifier: Apache-2.0
"""The multios CLI: output formats, contexts and one-line failures."""

import contextlib
import io
import json
import logging
import os
import subprocess
import sys
import tempfile
import types
import unittest
from unittest import mock

from oslo_config import cfg

from multios import cleanup
from multios.cmd import cli
from multios import context
from multios import exception
from multios import federation


def config_text(state_path):
    """CONFIG, its state (database, clouds' breakers) in ``state_path``."""
    return CONFIG.replace('[DEFAULT]\n',
                          '[DEFAULT]\nstate_path = %s\n' % state_path)


CONFIG = """
[DEFAULT]
clouds = alpha
[cloud:alpha]
auth_url = http://127.0.0.1:1/v3
username = admin
password = s3cret
project_name = admin
"""


def server(server_id='s1', cloud='alpha', project_id='p1'):
    return federation.Server(
        id=server_id, name='vm', cloud=cloud, status='ACTIVE',
        project_id=project_id, user_id='u1',
        addresses={'private': [{'addr': '10.0.0.5'}]})


class CliTestCase(unittest.TestCase):

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.config = os.path.join(tmp.name, 'multios.conf')
        with open(self.config, 'w') as f:
            f.write(config_text(tmp.name))
        patcher = mock.patch.object(cli.multios_core, 'Core')
        self.core = patcher.start().return_value
        self.addCleanup(patcher.stop)
        self.fed = self.core.federation
        self.launches = self.core.launches
        # main() quietens the multios loggers; do not leak that to others.
        logger = logging.getLogger('multios')
        self.addCleanup(logger.setLevel, logger.level)

    def run_cli(self, *args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(['--config-file', self.config] + list(args),
                            conf=cfg.ConfigOpts())
        return code, out.getvalue(), err.getvalue()


class OutputTest(CliTestCase):

    def test_list_json_has_items_and_errors(self):
        self.launches.list_servers.return_value = federation.Result(
            [server()], [federation.CloudError('beta', 'cannot connect')])
        code, out, err = self.run_cli('list', '--format', 'json')
        self.assertEqual(cli.EXIT_PARTIAL, code)
        data = json.loads(out)
        self.assertEqual('s1', data['items'][0]['id'])
        self.assertEqual([{'cloud': 'beta', 'reason': 'cannot connect'}],
                         data['errors'])
        self.assertEqual('warning: cloud beta: cannot connect\n', err)

    def test_list_table_shows_networks(self):
        self.launches.list_servers.return_value = federation.Result(
            [server()])
        code, out, _err = self.run_cli('list', '--cloud', 'alpha')
        self.assertEqual(0, code)
        header, row = out.splitlines()
        self.assertTrue(header.startswith('ID'))
        self.assertIn('private=10.0.0.5', row)
        self.assertEqual('alpha',
                         self.launches.list_servers.call_args[1]['cloud'])

    def test_clouds_table_shows_usage(self):
        self.fed.cloud_status.return_value = [federation.CloudStatus(
            'alpha', 'up', 12.5, None,
            {'instances': {'used': 2, 'limit': 10},
             'cores': {'used': 2, 'limit': 20},
             'ram': {'used': 1024, 'limit': 51200}})]
        code, out, _err = self.run_cli('clouds')
        self.assertEqual(0, code)
        self.assertRegex(out.splitlines()[1],
                         r'^alpha\s+up\s+12.5\s+2/10\s+2/20\s+1024/51200$')

    def test_clouds_table_marks_a_draining_cloud(self):
        self.fed.cloud_status.return_value = [federation.CloudStatus(
            'alpha', 'up', 12.5, None, {}, draining=True)]
        code, out, _err = self.run_cli('clouds')
        self.assertEqual(0, code)
        self.assertRegex(out.splitlines()[1], r'^alpha\s+up \(draining\)')

    def test_clouds_that_did_not_answer_are_a_partial_result(self):
        self.fed.cloud_status.return_value = [
            federation.CloudStatus('alpha', 'up', 12.5, None, {}),
            federation.CloudStatus('beta', 'down', None, 'cannot connect')]
        code, out, _err = self.run_cli('clouds', '--format', 'json')
        self.assertEqual(3, code)
        self.assertEqual('cannot connect', json.loads(out)[1]['reason'])
        self.fed.cloud_status.return_value = [
            federation.CloudStatus('alpha', 'up', 12.5, None, {})]
        self.assertEqual(0, self.run_cli('clouds')[0])

    def test_delete_says_what_was_done(self):
        self.fed.delete_servers.return_value = federation.Result([server()])
        code, out, err = self.run_cli('delete', 's1')
        self.assertEqual(0, code)
        header, row = out.splitlines()
        self.assertRegex(header, r'^ID\s+Name\s+Cloud\s+Result$')
        self.assertRegex(row, r'^s1\s+vm\s+alpha\s+deletion accepted$')
        self.assertEqual('', err)
        code, out, _err = self.run_cli('delete', 's1', '--format', 'json')
        self.assertEqual({'items': [{'id': 's1', 'name': 'vm',
                                     'cloud': 'alpha',
                                     'result': 'deletion accepted'}],
                          'errors': []}, json.loads(out))

    def test_delete_of_nothing_prints_no_empty_table(self):
        self.fed.delete_servers.return_value = federation.Result(
            [], [federation.CloudError(None, 's1: Server s1 could not be '
                                             'found.')])
        code, out, err = self.run_cli('delete', 's1')
        self.assertEqual((1, ''), (code, out))
        self.assertEqual('multios: error: s1: Server s1 could not be '
                         'found.\n', err)

    def test_show_json(self):
        self.fed.get_server.return_value = server()
        code, out, _err = self.run_cli('show', 's1', '--format', 'json')
        self.assertEqual(0, code)
        self.assertEqual('alpha', json.loads(out)['cloud'])


class ContextTest(CliTestCase):

    def test_operator_has_the_ids_of_the_home_cloud_account(self):
        """Not "admin": what the operator launches or lists is owned by ids."""
        self.launches.list_servers.return_value = federation.Result()
        home = context.get_admin_context('p-real', 'u-real')
        self.fed.operator_context.return_value = home
        self.assertEqual(0, self.run_cli('list')[0])
        self.assertIs(home, self.launches.list_servers.call_args[0][0])
        with mock.patch('multios.fping.check',
                        return_value=federation.Result()) as check:
            self.assertEqual(0, self.run_cli('fping')[0])
        self.assertIs(home, check.call_args[0][1])
        self.launches.accept.return_value = launch(
            'active', task=None, id='s1', status='ACTIVE')
        self.run_cli('launch', 'vm', '--flavor', 'f', '--image', 'i')
        self.assertIs(home, self.launches.accept.call_args[0][0])

    def test_no_identity_is_read_when_every_project_is_asked(self):
        self.launches.list_servers.return_value = federation.Result()
        self.run_cli('list', '--all-tenants')
        self.fed.get_server.return_value = server()
        self.run_cli('show', 's1')
        self.fed.operator_context.assert_not_called()

    def test_operator_by_default(self):
        self.launches.list_servers.return_value = federation.Result()
        self.run_cli('list', '--all-tenants')
        ctx = self.launches.list_servers.call_args[0][0]
        self.assertTrue(ctx.is_admin)
        self.assertTrue(
            self.launches.list_servers.call_args[1]['all_tenants'])

    def test_project_and_user_make_a_member_context(self):
        self.launches.list_servers.return_value = federation.Result()
        self.run_cli('list', '--project-id', 'p1', '--user-id', 'u1')
        ctx = self.launches.list_servers.call_args[0][0]
        self.assertFalse(ctx.is_admin)
        self.assertEqual(('p1', 'u1'), (ctx.project_id, ctx.user_id))

    def test_project_without_user_fails(self):
        code, out, err = self.run_cli('list', '--project-id', 'p1')
        self.assertEqual(1, code)
        self.assertIn('--project-id and --user-id', err)


class FailureTest(CliTestCase):

    def assertOneLineFailure(self, code, out, err):
        self.assertEqual(1, code)
        self.assertEqual('', out)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertTrue(err.startswith('multios: error: '), err)
        self.assertNotIn('Traceback', err)

    def test_core_error_is_one_line(self):
        self.fed.get_server.side_effect = exception.ServerNotFound(
            server_id='s9')
        code, out, err = self.run_cli('show', 's9')
        self.assertOneLineFailure(code, out, err)
        self.assertIn('Server s9 could not be found.', err)

    def test_bad_config_is_one_line_naming_the_option(self):
        with open(self.config, 'a') as f:
            f.write('[placement]\nstrategy = random\n')
        code, out, err = self.run_cli('list')
        self.assertOneLineFailure(code, out, err)
        self.assertIn('[placement] strategy', err)

    def test_unexpected_error_is_one_line_without_password(self):
        self.launches.list_servers.side_effect = RuntimeError(
            'boom password=s3cret\nsecond line')
        code, out, err = self.run_cli('list')
        self.assertOneLineFailure(code, out, err)
        self.assertIn('RuntimeError: boom password=', err)
        self.assertNotIn('s3cret', err)

    def test_misspelt_option_is_one_line_with_the_close_match(self):
        with open(self.config, 'a') as f:
            f.write('api_timout = 3\n')
        code, out, err = self.run_cli('list')
        self.assertOneLineFailure(code, out, err)
        self.assertIn('[cloud:alpha] api_timout is not a known option (did '
                      'you mean api_timeout?)', err)

    def test_no_cloud_configured_says_where_it_looked(self):
        self.fed.clouds.return_value = []
        for command in ('clouds', 'list', 'fping', 'delete'):
            args = [command] + (['s1'] if command == 'delete' else [])
            code, out, err = self.run_cli(*args)
            self.assertOneLineFailure(code, out, err)
            self.assertEqual(
                'multios: error: no cloud is configured in %s: list them in '
                '[DEFAULT] clouds, each with its [cloud:NAME] group\n'
                % self.config, err)

    def test_no_configuration_file_at_all(self):
        conf = cfg.ConfigOpts()
        conf([], default_config_files=[])
        conf.register_opts(cli.multios_conf.default.default_opts)
        self.assertIn('no configuration file was found', cli._no_cloud(conf))

    def test_broken_pipe_ends_quietly(self):
        self.fed.list_servers.return_value = federation.Result([server()])

        class Gone(io.StringIO):
            def write(self, text):
                raise BrokenPipeError(32, 'Broken pipe')

        err = io.StringIO()
        with contextlib.redirect_stdout(Gone()), \
                contextlib.redirect_stderr(err):
            code = cli.main(['--config-file', self.config, 'list',
                             '--format', 'json'], conf=cfg.ConfigOpts())
        self.assertEqual((141, ''), (code, err.getvalue()))

    def test_partial_delete_fails(self):
        self.fed.delete_servers.return_value = federation.Result(
            [server()], [federation.CloudError(None, 'zz: not found')])
        code, out, err = self.run_cli('delete', 's1', 'zz')
        self.assertEqual(1, code)
        self.assertIn('s1', out)
        self.assertIn('zz: not found', err)


class LazyImportTest(unittest.TestCase):
    """fping imports its module only when run."""

    def test_other_commands_do_not_import_fping(self):
        with tempfile.TemporaryDirectory() as tmp:
            config = os.path.join(tmp, 'multios.conf')
            with open(config, 'w') as f:
                f.write(config_text(tmp))
            # A fresh interpreter: this one has imported multios.fping already.
            # alpha's Keystone is loopback port 1, refused at once.
            script = ('import sys\n'
                      'from multios.cmd import cli\n'
                      'code = cli.main(["--config-file", sys.argv[1],\n'
                      '                 "list", "--all-tenants"])\n'
                      'print(code, "multios.fping" in sys.modules)\n')
            done = subprocess.run([sys.executable, '-c', script, config],
                                  capture_output=True, text=True, timeout=60)
        self.assertIn('warning: cloud alpha', done.stderr)
        self.assertEqual('%d False' % cli.EXIT_PARTIAL,
                         done.stdout.splitlines()[-1], done.stderr)


class LazyCommandsTest(CliTestCase):
    """The fping command, its module faked."""

    def fake_module(self, name, **attrs):
        module = types.ModuleType('multios.' + name)
        module.__dict__.update(attrs)
        patcher = mock.patch.dict(sys.modules, {'multios.' + name: module})
        patcher.start()
        self.addCleanup(patcher.stop)
        import multios
        attr = mock.patch.object(multios, name, module, create=True)
        attr.start()
        self.addCleanup(attr.stop)
        return module

    def test_fping_passes_the_filters(self):
        fping = self.fake_module('fping', check=mock.Mock(
            return_value=federation.Result(
                [{'id': 's1', 'project_id': 'p1', 'cloud': 'alpha',
                  'alive': True}],
                [federation.CloudError('beta', 'cannot connect')])))
        code, out, err = self.run_cli('fping', '--all-tenants',
                                      '--exclude', 's2,s3', '--format',
                                      'json')
        self.assertEqual(cli.EXIT_PARTIAL, code)
        self.assertTrue(json.loads(out)['items'][0]['alive'])
        self.assertEqual([{'cloud': 'beta', 'reason': 'cannot connect'}],
                         json.loads(out)['errors'])
        self.assertEqual('warning: cloud beta: cannot connect\n', err)
        kwargs = fping.check.call_args[1]
        self.assertEqual(['s2', 's3'], kwargs['exclude'])
        self.assertTrue(kwargs['all_tenants'])
        self.assertIsNone(kwargs['server_id'])


def launch(launch_status='building',
           task='launching on alpha, attempt 1 of 3', **server):
    item = dict({'name': 'vm', 'cloud': 'alpha', 'id': None,
                 'status': 'BUILD', 'task': task, 'attempts': []}, **server)
    return {'id': 'req-1', 'status': launch_status, 'reason': None,
            'servers': [item]}


ACTIVE = launch('active', task=None, id='s1', status='ACTIVE', attempts=[
    {'cloud': 'beta', 'outcome': 'error', 'reason': 'ERROR: no host'},
    {'cloud': 'alpha', 'outcome': 'active', 'reason': 'ACTIVE'}])


class LaunchTest(CliTestCase):

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(cli, 'FOLLOW_INTERVAL', 0)
        patcher.start()
        self.addCleanup(patcher.stop)

    def run_launch(self, *extra):
        return self.run_cli('launch', 'vm', '--flavor', 'm1.tiny',
                            '--image', 'cirros', *extra)

    def test_dry_run_prints_the_ranking_and_the_plan(self):
        ranking = self.core.placement.rank.return_value
        ranking.plan = ['alpha']
        ranking.to_dict.return_value = {
            'ranked': [{'cloud': 'alpha', 'score': 1.5, 'weights': {}}],
            'rejected': [{'cloud': 'beta', 'reason': 'no flavor m1.tiny'}],
            'plan': ['alpha']}
        code, out, err = self.run_launch('--dry-run')
        self.assertEqual(0, code)
        self.assertIn('score 1.5', out)
        self.assertIn('rejected: no flavor m1.tiny', out)
        self.assertEqual('plan: vm on alpha\n', err)
        request, = self.core.placement.rank.call_args.args
        self.assertEqual(('vm', 'm1.tiny', 'cirros', 1, None),
                         (request.name, request.flavor, request.image,
                          request.count, request.cloud))
        self.launches.accept.assert_not_called()

    def test_what_to_boot_with_becomes_the_request(self):
        self.launches.accept.return_value = launch()
        self.launches.get.return_value = ACTIVE
        key = os.path.join(os.path.dirname(self.config), 'id.pub')
        data = os.path.join(os.path.dirname(self.config), 'init.yaml')
        with open(key, 'w') as f:
            f.write('ssh-ed25519 AAAA me\n')
        with open(data, 'wb') as f:
            f.write(b'#cloud-config\n\xff')
        code, _out, err = self.run_launch(
            '--public-key', key, '--user-data', data,
            '--security-group', 'web', '--security-group', 'ssh',
            '--network', 'lan', '--network', 'public',
            '--availability-zone', 'az2')
        self.assertEqual(0, code, err)
        _context, request = self.launches.accept.call_args.args
        self.assertEqual(
            ('ssh-ed25519 AAAA me\n', 'I2Nsb3VkLWNvbmZpZwr/', ('web', 'ssh'),
             ('lan', 'public'), 'az2', None),
            (request.public_key, request.user_data, request.security_groups,
             request.networks, request.availability_zone, request.key_name))
        self.run_launch('--key-name', 'mine', '--network', 'auto')
        _context, request = self.launches.accept.call_args.args
        self.assertEqual(('mine', None, (), ()),
                         (request.key_name, request.public_key,
                          request.networks, request.security_groups))

    def test_an_unreadable_file_is_one_line_naming_the_option(self):
        code, _out, err = self.run_launch('--user-data', '/nonexistent/x')
        self.assertEqual(1, code)
        self.assertEqual('multios: error: --user-data: cannot read '
                         '/nonexistent/x: No such file or directory\n', err)
        self.launches.accept.assert_not_called()

    def test_key_name_and_public_key_are_one_or_the_other(self):
        with self.assertRaises(SystemExit) as caught:
            self.run_launch('--key-name', 'k', '--public-key', 'f')
        self.assertEqual(2, caught.exception.code)
        self.launches.accept.assert_not_called()

    def test_dry_run_that_does_not_fit_fails(self):
        ranking = self.core.placement.rank.return_value
        ranking.plan = ['alpha']
        ranking.unplaced = [types.SimpleNamespace(
            cloud='alpha', reason='quota exceeded for instances')]
        ranking.to_dict.return_value = {'ranked': [], 'rejected': [],
                                        'plan': ['alpha']}
        code, _out, err = self.run_launch('--dry-run', '--count', '2')
        self.assertEqual(1, code)
        self.assertIn('only 1 of 2 instances fit', err)

    def test_launch_prints_its_id_follows_it_and_shows_the_servers(self):
        self.launches.accept.return_value = launch()
        self.launches.get.side_effect = [launch(), ACTIVE]
        code, out, err = self.run_launch()
        self.assertEqual(0, code, err)
        self.assertEqual([
            'launch req-1 accepted: vm on alpha',
            'vm: launching on alpha, attempt 1 of 3',
            'vm: beta failed (error): ERROR: no host',
            'vm: ACTIVE on alpha'], err.splitlines())
        self.assertIn('beta: error; alpha: active', out)
        self.assertTrue(self.launches.accept.call_args.kwargs['carry'])
        self.core.runner.stop.assert_called_once_with()

    def test_launch_json_is_the_launch(self):
        self.launches.accept.return_value = launch()
        self.launches.get.return_value = ACTIVE
        code, out, _err = self.run_launch('--format', 'json')
        self.assertEqual((0, ACTIVE), (code, json.loads(out)))

    def test_a_partial_launch_exits_3_and_shows_what_started(self):
        partial = launch('partial', task=None, status='ACTIVE', id='s1')
        partial['servers'].append(dict(partial['servers'][0], name='vm-2',
                                       id=None, status='ERROR'))
        partial['reason'] = 'vm-2: alpha: ERROR'
        self.launches.accept.return_value = partial
        code, out, err = self.run_launch('--count', '2')
        self.assertEqual(cli.EXIT_PARTIAL, code)
        self.assertIn('s1', out)
        self.assertIn('launch req-1 is partial: vm-2: alpha: ERROR', err)

    def test_a_failed_launch_exits_1(self):
        failed = launch('failed', task=None, status='ERROR')
        failed['reason'] = 'vm: alpha: ERROR'
        self.launches.accept.return_value = failed
        code, _out, err = self.run_launch()
        self.assertEqual(1, code)
        self.assertTrue(err.endswith(
            'multios: error: launch req-1 failed: vm: alpha: ERROR\n'))

    def test_ctrl_c_stops_the_cli_not_the_launch(self):
        self.launches.accept.return_value = launch()
        self.launches.get.side_effect = KeyboardInterrupt
        code, _out, err = self.run_launch()
        self.assertEqual(1, code)
        self.assertIn('interrupted: launch req-1 goes on', err)
        self.assertIn('multios launches show req-1', err)
        self.core.runner.stop.assert_called_once_with(timeout=5)

    def test_no_wait_leaves_it_to_a_carrier_and_warns_without_one(self):
        self.launches.accept.return_value = launch()
        self.launches.carriers.return_value = []
        code, out, err = self.run_launch('--no-wait', '--format', 'json')
        self.assertEqual(0, code)
        self.assertEqual(launch(), json.loads(out))
        self.assertFalse(self.launches.accept.call_args.kwargs['carry'])
        self.assertIn('warning: no multios-engine or multios-api', err)
        self.launches.get.assert_not_called()

    def test_no_wait_is_quiet_when_an_engine_runs(self):
        self.launches.accept.return_value = launch()
        self.launches.carriers.return_value = [mock.Mock()]
        code, _out, err = self.run_launch('--no-wait')
        self.assertEqual((0, ''), (code, err))


class LaunchesTest(CliTestCase):

    def test_list_is_the_default(self):
        self.launches.list.return_value = [ACTIVE]
        code, out, _err = self.run_cli('launches')
        self.assertEqual(0, code)
        self.assertIn('req-1', out)
        self.assertIn('vm=ACTIVE', out)
        self.assertFalse(self.launches.list.call_args.kwargs['all_tenants'])

    def test_list_all_tenants_json(self):
        self.launches.list.return_value = [ACTIVE]
        code, out, _err = self.run_cli('launches', 'list', '--all-tenants',
                                       '--format', 'json')
        self.assertEqual((0, [ACTIVE]), (code, json.loads(out)))
        self.assertTrue(self.launches.list.call_args.kwargs['all_tenants'])

    def test_show_and_cancel(self):
        self.launches.get.return_value = ACTIVE
        code, out, _err = self.run_cli('launches', 'show', 'req-1',
                                       '--format', 'json')
        self.assertEqual((0, ACTIVE), (code, json.loads(out)))
        self.launches.cancel.return_value = launch()
        code, out, err = self.run_cli('launches', 'cancel', 'req-1')
        self.assertEqual(0, code)
        self.assertEqual('launch req-1: cancellation requested\n', err)
        self.assertEqual('req-1', self.launches.cancel.call_args.args[1])

    def test_cancelling_an_ended_launch_fails_in_one_line(self):
        self.launches.cancel.side_effect = exception.LaunchSettled(
            launch_id='req-1', status='active')
        code, _out, err = self.run_cli('launches', 'cancel', 'req-1')
        self.assertEqual(1, code)
        self.assertEqual('multios: error: Launch req-1 has already ended '
                         '(active): delete its servers instead.\n', err)


class CleanupTest(CliTestCase):

    def test_nothing_to_clean_up_is_said(self):
        self.core.cleaner.run.return_value = cleanup.Report()
        code, out, err = self.run_cli('cleanup')
        self.assertEqual((0, '', 'nothing to clean up\n'), (code, out, err))
        self.core.cleaner.run.assert_called_once_with(keep_lease=False)

    def test_deleted_and_seen_leaks_are_listed(self):
        self.core.cleaner.run.return_value = cleanup.Report(
            deleted=[server('s1')], sighted=[server('s2')])
        code, out, _err = self.run_cli('cleanup')
        self.assertEqual(0, code)
        rows = out.splitlines()[1:]
        self.assertRegex(rows[0], r'^s1 .* deleted$')
        self.assertRegex(rows[1], r'^s2 .* seen, deleted by a later pass$')

    def test_deleted_key_pairs_are_said(self):
        self.core.cleaner.run.return_value = cleanup.Report(
            key_pairs=[('alpha', 'multios-x')])
        code, out, err = self.run_cli('cleanup')
        self.assertEqual((0, '', 'deleted key pair multios-x on alpha: no '
                                 'server uses it\n'), (code, out, err))

    def test_a_cleanup_running_elsewhere_does_nothing(self):
        self.core.cleaner.run.return_value = cleanup.Report(holder='h:1:x')
        code, _out, err = self.run_cli('cleanup')
        self.assertEqual(1, code)
        self.assertIn('a leak cleanup is running in h:1:x', err)


class HelpTest(unittest.TestCase):

    def test_help_tells_what_it_is_and_lists_the_commands_first(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = cli.main(['--help'], conf=cfg.ConfigOpts())
        text = out.getvalue()
        self.assertEqual(0, code)
        self.assertIn('federates several OpenStack', text)
        commands = [text.index('\n    %s ' % name) for name in
                    ('clouds', 'list', 'show', 'launch', 'delete',
                     'cleanup', 'fping')]
        self.assertLess(max(commands), text.index('--config-file FILE  '))
        self.assertNotIn('--log-date-format', text)
        self.assertIn('  3   partial result', text)


def test_output_into_a_closed_pipe_ends_quietly(tmp_path):
    """``multios ... | head``: no "BrokenPipeError", the status of SIGPIPE."""
    config = tmp_path / 'multios.conf'
    config.write_text(config_text(tmp_path))
    process = subprocess.Popen(
        [sys.executable, '-m', 'multios.cmd.cli', '--config-file',
         str(config), 'clouds', '--format', 'json'],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd=os.path.join(os.path.dirname(__file__), '..', '..'))
    process.stdout.close()  # the reader is gone before anything is written
    _out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (cli.EXIT_BROKEN_PIPE, b'')
