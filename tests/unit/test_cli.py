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

from multios.cmd import cli
from multios import exception
from multios import federation

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
            f.write(CONFIG)
        patcher = mock.patch.object(cli.multios_federation, 'Federation')
        self.fed = patcher.start().return_value
        self.addCleanup(patcher.stop)
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
        self.fed.list_servers.return_value = federation.Result(
            [server()], [federation.CloudError('beta', 'cannot connect')])
        code, out, err = self.run_cli('list', '--format', 'json')
        self.assertEqual(0, code)
        data = json.loads(out)
        self.assertEqual('s1', data['items'][0]['id'])
        self.assertEqual([{'cloud': 'beta', 'reason': 'cannot connect'}],
                         data['errors'])
        self.assertEqual('warning: cloud beta: cannot connect\n', err)

    def test_list_table_shows_networks(self):
        self.fed.list_servers.return_value = federation.Result([server()])
        code, out, _err = self.run_cli('list', '--cloud', 'alpha')
        self.assertEqual(0, code)
        header, row = out.splitlines()
        self.assertTrue(header.startswith('ID'))
        self.assertIn('private=10.0.0.5', row)
        self.assertEqual('alpha', self.fed.list_servers.call_args[1]['cloud'])

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

    def test_show_json(self):
        self.fed.get_server.return_value = server()
        code, out, _err = self.run_cli('show', 's1', '--format', 'json')
        self.assertEqual(0, code)
        self.assertEqual('alpha', json.loads(out)['cloud'])


class ContextTest(CliTestCase):

    def test_operator_by_default(self):
        self.fed.list_servers.return_value = federation.Result()
        self.run_cli('list', '--all-tenants')
        ctx = self.fed.list_servers.call_args[0][0]
        self.assertTrue(ctx.is_admin)
        self.assertTrue(self.fed.list_servers.call_args[1]['all_tenants'])

    def test_project_and_user_make_a_member_context(self):
        self.fed.list_servers.return_value = federation.Result()
        self.run_cli('list', '--project-id', 'p1', '--user-id', 'u1')
        ctx = self.fed.list_servers.call_args[0][0]
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
        self.fed.list_servers.side_effect = RuntimeError(
            'boom password=s3cret\nsecond line')
        code, out, err = self.run_cli('list')
        self.assertOneLineFailure(code, out, err)
        self.assertIn('RuntimeError: boom password=', err)
        self.assertNotIn('s3cret', err)

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
                f.write(CONFIG)
            # A fresh interpreter: this one has imported multios.fping already.
            # alpha's Keystone is loopback port 1, refused at once.
            script = ('import sys\n'
                      'from multios.cmd import cli\n'
                      'code = cli.main(["--config-file", sys.argv[1], "list"])\n'
                      'print(code, "multios.fping" in sys.modules)\n')
            done = subprocess.run([sys.executable, '-c', script, config],
                                  capture_output=True, text=True, timeout=60)
        self.assertIn('warning: cloud alpha', done.stderr)
        self.assertEqual('0 False', done.stdout.splitlines()[-1], done.stderr)


class LazyCommandsTest(CliTestCase):
    """The launch and fping commands, their modules faked."""

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

    def test_launch_dry_run_prints_the_ranking(self):
        ranking = mock.Mock()
        ranking.to_dict.return_value = {
            'ranked': [{'cloud': 'alpha', 'score': 1.5, 'weights': {}}],
            'rejected': [{'cloud': 'beta', 'reason': 'no flavor m1.huge'}]}
        placement = self.fake_module(
            'placement', LaunchRequest=mock.Mock(),
            Placement=mock.Mock(**{'return_value.rank.return_value': ranking}))
        launcher = self.fake_module('launcher', Launcher=mock.Mock())
        code, out, _err = self.run_cli('launch', 'vm', '--flavor', 'm1.tiny',
                                       '--image', 'cirros', '--dry-run')
        self.assertEqual(0, code)
        self.assertIn('score 1.5', out)
        self.assertIn('rejected: no flavor m1.huge', out)
        placement.LaunchRequest.assert_called_once_with(
            name='vm', flavor='m1.tiny', image='cirros', count=1, cloud=None)
        launcher.Launcher.assert_not_called()

    def test_launch_reports_progress_on_stderr(self):
        self.fake_module('placement', LaunchRequest=mock.Mock())

        def launch(context, request, progress):
            progress('alpha: building vm')
            return [mock.Mock(**{'to_dict.return_value': {
                'server': server().to_dict(), 'cloud': 'alpha',
                'attempts': []}})]
        self.fake_module('launcher', Launcher=mock.Mock(
            **{'return_value.launch.side_effect': launch}))
        code, out, err = self.run_cli('launch', 'vm', '--flavor', 'm1.tiny',
                                      '--image', 'cirros', '--count', '2')
        self.assertEqual(0, code)
        self.assertEqual('alpha: building vm\n', err)
        self.assertIn('s1', out)

    def test_fping_passes_the_filters(self):
        fping = self.fake_module('fping', check=mock.Mock(return_value=[
            {'id': 's1', 'project_id': 'p1', 'cloud': 'alpha',
             'alive': True}]))
        code, out, _err = self.run_cli('fping', '--all-tenants',
                                       '--exclude', 's2,s3', '--format',
                                       'json')
        self.assertEqual(0, code)
        self.assertTrue(json.loads(out)[0]['alive'])
        kwargs = fping.check.call_args[1]
        self.assertEqual(['s2', 's3'], kwargs['exclude'])
        self.assertTrue(kwargs['all_tenants'])
        self.assertIsNone(kwargs['server_id'])
