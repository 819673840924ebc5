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

"""The RPMs of rpm/python-multios.spec, built with ``make -C rpm`` and read
back with rpm: what a RHEL host would install is what these tests inspect."""

import ast
import configparser
import os
import pathlib
import re
import shutil
import stat
import subprocess
import sys

import pytest

pytestmark = pytest.mark.functional

TOP = pathlib.Path(__file__).resolve().parents[2]
CORE = 'python3-multios'
API = 'python3-multios-api'
CLIENT = 'python3-multiosclient'
#: The systemd units of the API package, and the module of their command.
UNITS = {'multios-api': 'multios_api_ext.cmd',
         'multios-engine': 'multios.cmd.engine'}
DASHBOARD = 'openstack-dashboard-multios'
ENABLED_DIR = ('/usr/share/openstack-dashboard/openstack_dashboard/local/'
               'enabled')
SITELIB = re.compile(r'^/usr/lib/python3\.\d+/site-packages/')

# The Python package each RPM ships, and the RPM a RHEL host installs for each
# third-party module the code imports.
PACKAGE_DIRS = {CORE: 'multios', API: 'multios_api_ext',
                DASHBOARD: 'multios_dashboard', CLIENT: 'multiosclient'}
RPM_OF_MODULE = {
    'alembic': 'python3-alembic',
    'cliff': 'python3-cliff',
    'cryptography': 'python3-cryptography',
    'django': 'openstack-dashboard',
    'horizon': 'openstack-dashboard',
    'openstack_dashboard': 'openstack-dashboard',
    'jsonschema': 'python3-jsonschema',
    'keystoneauth1': 'python3-keystoneauth1',
    'keystonemiddleware': 'python3-keystonemiddleware',
    'novaclient': 'python3-novaclient',
    'oslo_config': 'python3-oslo-config',
    'oslo_context': 'python3-oslo-context',
    'oslo_db': 'python3-oslo-db',
    'oslo_log': 'python3-oslo-log',
    'oslo_middleware': 'python3-oslo-middleware',
    'oslo_policy': 'python3-oslo-policy',
    'oslo_serialization': 'python3-oslo-serialization',
    'oslo_utils': 'python3-oslo-utils',
    'osc_lib': 'python3-osc-lib',
    'paste': 'python3-paste-deploy',
    'pbr': 'python3-pbr',
    'routes': 'python3-routes',
    'sqlalchemy': 'python3-sqlalchemy',
    'webob': 'python3-webob',
    'yaml': 'python3-pyyaml',
}
ISSUE_REQUIRES = {
    CORE: {'fping', 'python3-novaclient', 'python3-keystoneauth1',
           'python3-oslo-config', 'python3-oslo-log', 'python3-oslo-utils',
           'python3-pbr'},
    API: {'python3-multios', 'python3-webob', 'python3-paste-deploy',
          'python3-oslo-policy', 'python3-keystonemiddleware',
          'python3-oslo-middleware', 'shadow-utils'},
    DASHBOARD: {'openstack-dashboard', 'python3-multiosclient'},
    CLIENT: {'python3-keystoneauth1', 'python3-osc-lib'},
}
SECRET_CONFIG = ['/etc/multios/multios.conf', '/etc/multios/api-paste.ini',
                 '/etc/multios/policy.yaml']


def _run(*argv, cwd=None):
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, '%s failed:\n%s%s' % (
        ' '.join(argv), result.stdout[-4000:], result.stderr[-4000:])
    return result.stdout


def _query(rpm_file, *args):
    return _run('rpm', '-qp', *args, str(rpm_file))


@pytest.fixture(scope='module')
def build(tmp_path_factory):
    """Run ``make -C rpm`` once into a directory of its own."""
    if not shutil.which('rpmbuild'):
        pytest.fail('rpmbuild is not installed (make system-packages)',
                    pytrace=False)
    topdir = tmp_path_factory.mktemp('rpmbuild')
    _run('make', '-s', '-C', str(TOP / 'rpm'), 'TOPDIR=%s' % topdir,
         'PY=%s' % sys.executable)
    return topdir


@pytest.fixture(scope='module')
def rpms(build):
    """Binary RPM file of each package name."""
    files = sorted((build / 'RPMS' / 'noarch').glob('*.rpm'))
    return {_query(f, '--qf', '%{NAME}'): f for f in files}


def _files(rpm_file):
    """{path: (perms, user, group, flags)} of every file in the RPM."""
    out = _query(rpm_file, '--qf', '[%{FILEMODES:perms}|%{FILEUSERNAME}|'
                 '%{FILEGROUPNAME}|%{FILEFLAGS:fflags}|%{FILENAMES}\n]')
    rows = (line.split('|', 4) for line in out.splitlines())
    return {path: (perms, user, group, flags)
            for perms, user, group, flags, path in rows}


def _requires(rpm_file):
    return {line.split()[0] for line in _query(rpm_file, '-R').splitlines()}


def _tracked(path):
    """Files git tracks under ``path``: what pbr puts into the sdist."""
    out = _run('git', 'ls-files', '--', path, cwd=TOP)
    return [p for p in out.splitlines() if (TOP / p).exists()]


def _install(rpms, root):
    """Install the RPMs into an empty root, as if %pre had made the users."""
    if os.geteuid() != 0:
        pytest.fail('installing files owned by other users needs root '
                    '(CI runs as root)', pytrace=False)
    (root / 'etc').mkdir(parents=True)
    (root / 'etc' / 'passwd').write_text(
        'root:x:0:0::/root:/bin/sh\n'
        'multios:x:990:990::/var/lib/multios:/sbin/nologin\n'
        'apache:x:48:48::/usr/share/httpd:/sbin/nologin\n')
    (root / 'etc' / 'group').write_text(
        'root:x:0:\nmultios:x:990:\napache:x:48:\n')
    _run('rpm', '--root', str(root), '--initdb')
    result = subprocess.run(
        ['rpm', '-i', '--root', str(root), '--nodeps', '--noscripts'] +
        [str(f) for f in rpms.values()],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert 'does not exist' not in result.stderr, result.stderr


def _third_party_imports(package_dir):
    modules = set()
    for source in (TOP / package_dir).rglob('*.py'):
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            modules.update(name.split('.')[0] for name in names)
    ours = set(PACKAGE_DIRS.values())
    return {m for m in modules
            if m not in sys.stdlib_module_names and m not in ours}


def test_builds_the_four_packages_and_the_source_package(build, rpms):
    assert set(rpms) == {CORE, API, DASHBOARD, CLIENT}
    srpms = list((build / 'SRPMS').glob('*.src.rpm'))
    assert [_query(f, '--qf', '%{NAME}') for f in srpms] == ['python-multios']
    version = _run(sys.executable, 'setup.py', '-q', '--version',
                   cwd=TOP).split()[-1]
    for rpm_file in rpms.values():
        assert _query(rpm_file, '--qf', '%{VERSION}') == version
        assert _query(rpm_file, '--qf', '%{ARCH}') == 'noarch'


@pytest.mark.parametrize('name', [CORE, API, DASHBOARD, CLIENT])
def test_each_package_ships_its_python_package_and_no_other(rpms, name):
    listed = _query(rpms[name], '-l').splitlines()
    shipped = {SITELIB.sub('', p) for p in listed if SITELIB.match(p)}
    tracked = _tracked(PACKAGE_DIRS[name])
    assert tracked, '%s/ is not committed yet' % PACKAGE_DIRS[name]
    missing = [p for p in tracked if p not in shipped]
    assert not missing, '%s lacks %s' % (name, missing)
    others = set(PACKAGE_DIRS.values()) - {PACKAGE_DIRS[name]}
    assert not {p for p in shipped if p.split('/')[0] in others}


def test_commands_go_to_the_packages_that_own_their_code(rpms):
    core_files = _query(rpms[CORE], '-l').splitlines()
    assert {'/usr/bin/multios', '/usr/bin/multios-manage'} <= set(core_files)
    api_files = _query(rpms[API], '-l').splitlines()
    for service in UNITS:
        assert '/usr/bin/%s' % service in api_files
        assert '/usr/lib/systemd/system/%s.service' % service in api_files


def test_dashboard_installs_every_enabled_file_into_horizon(rpms):
    enabled = _tracked('enabled')
    assert enabled, 'enabled/ is not committed yet'
    listed = _query(rpms[DASHBOARD], '-l').splitlines()
    for path in enabled:
        assert '%s/%s' % (ENABLED_DIR, os.path.basename(path)) in listed


def test_configuration_is_noreplace_and_readable_only_by_root_and_group(rpms):
    files = _files(rpms[API])
    assert set(_query(rpms[API], '-c').splitlines()) == set(SECRET_CONFIG) | {
        '/etc/logrotate.d/openstack-multios'}
    for path in SECRET_CONFIG:
        perms, user, group, flags = files[path]
        assert (perms, user, group) == ('-rw-r-----', 'root', 'multios'), path
        assert 'c' in flags and 'n' in flags, path
    assert files['/etc/multios'][:3] == ('drwxr-x---', 'root', 'multios')


def test_service_owns_its_state_and_log_directories(rpms):
    files = _files(rpms[API])
    for path in ('/var/lib/multios', '/var/log/multios'):
        assert files[path][:3] == ('drwxr-x---', 'multios', 'multios'), path


def test_no_file_is_world_writable_or_setuid(rpms):
    for name, rpm_file in rpms.items():
        for path, (perms, _user, _group, _flags) in _files(rpm_file).items():
            assert perms[8] != 'w' and 's' not in perms, (name, path, perms)


def test_packages_install_together_with_their_owners_and_modes(
        rpms, tmp_path):
    _install(rpms, tmp_path)
    expected = {'etc/multios': (0o750, 0, 990),
                'etc/multios/multios.conf': (0o640, 0, 990),
                'var/lib/multios': (0o750, 990, 990),
                'var/log/multios': (0o750, 990, 990)}
    for path, (mode, uid, gid) in expected.items():
        info = (tmp_path / path).stat()
        assert (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid) == (
            mode, uid, gid), path
    assert _run('rpm', '--root', str(tmp_path), '-Va', '--nodeps') == ''


def test_removal_keeps_the_edited_configuration(rpms, tmp_path):
    _install(rpms, tmp_path)
    config = tmp_path / 'etc' / 'multios' / 'multios.conf'
    config.write_text('[DEFAULT]\nclouds = alpha\n')
    _run('rpm', '-e', '--root', str(tmp_path), '--nodeps', '--noscripts',
         *rpms)
    assert not config.exists()
    saved = config.with_name('multios.conf.rpmsave')
    assert saved.read_text() == '[DEFAULT]\nclouds = alpha\n'


@pytest.mark.parametrize('name', [CORE, API, DASHBOARD, CLIENT])
def test_requires_name_what_a_rhel_host_needs(rpms, name):
    assert ISSUE_REQUIRES[name] <= _requires(rpms[name])


@pytest.mark.parametrize('name', [CORE, API, DASHBOARD, CLIENT])
def test_requires_cover_every_module_the_code_imports(rpms, name):
    provided = _requires(rpms[name])
    if CORE in provided:
        provided |= _requires(rpms[CORE])
    unknown = _third_party_imports(PACKAGE_DIRS[name]) - set(RPM_OF_MODULE)
    assert not unknown, 'map %s to their RPMs in RPM_OF_MODULE' % unknown
    needed = {RPM_OF_MODULE[m]
              for m in _third_party_imports(PACKAGE_DIRS[name])}
    assert needed <= provided, '%s must require %s' % (
        name, needed - provided)


def test_the_client_package_carries_the_openstack_plugin_alone(rpms):
    """The plugin's entry points are in the metadata the client ships;
    nothing of the core comes with it.
    """
    listed = _query(rpms[CLIENT], '-l').splitlines()
    entry_points, = [p for p in listed if p.endswith(
        '.egg-info/entry_points.txt')]
    egg_info = entry_points.rsplit('/', 1)[0]
    assert not [p for name, f in rpms.items() if name != CLIENT
                for p in _query(f, '-l').splitlines()
                if p.startswith(egg_info)]
    requires = _requires(rpms[CLIENT])
    assert not requires & {CORE, API, DASHBOARD}


def test_scripts_run_the_system_python_not_the_build_one(rpms):
    for name in (CORE, API):
        assert '/usr/bin/python3' in _requires(rpms[name])
    for name, rpm_file in rpms.items():
        text = _query(rpm_file, '-R') + _query(rpm_file, '--scripts')
        assert str(TOP) not in text, name


def test_api_package_creates_the_service_user_before_install(rpms):
    prein = _query(rpms[API], '--qf', '%{PREIN}')
    assert 'groupadd -r multios' in prein
    assert re.search(r'useradd -r -g multios .*multios$', prein,
                     re.MULTILINE | re.DOTALL)


def _unit(service):
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.read(TOP / 'rpm' / ('%s.service' % service))
    return unit


@pytest.mark.parametrize('service', sorted(UNITS))
def test_unit_runs_the_packaged_command_as_the_service_user(rpms, service):
    unit = _unit(service)
    command = unit['Service']['ExecStart'].split()
    assert unit['Service']['User'] == 'multios'
    assert unit['Install']['WantedBy'] == 'multi-user.target'
    assert command[0] in _query(rpms[API], '-l').splitlines()
    config = command[command.index('--config-file') + 1]
    assert config in _query(rpms[API], '-c').splitlines()
    log_dir = command[command.index('--log-dir') + 1]
    assert _files(rpms[API])[log_dir][1] == 'multios'


@pytest.mark.parametrize('service', sorted(UNITS))
def test_unit_passes_only_options_its_command_knows(service):
    options = [arg for arg in _unit(service)['Service']['ExecStart'].split()
               if arg.startswith('--')]
    usage = _run(sys.executable, '-c',
                 'import sys; from %s import main; main(sys.argv[1:])'
                 % UNITS[service], '--help', cwd=TOP)
    for option in options:
        assert re.search(r'\s%s\b' % re.escape(option), usage), option


@pytest.mark.parametrize('name,tags', [
    (API, ['POSTIN', 'PREUN', 'POSTUN']),
    (DASHBOARD, ['POSTIN', 'POSTUN']),
])
def test_scriptlets_succeed_on_a_host_without_systemd_or_horizon(
        rpms, tmp_path, name, tags):
    for tag in tags:
        script = _query(rpms[name], '--qf', '%%{%s}' % tag)
        for arg in ('0', '1'):
            result = subprocess.run(
                ['/bin/sh', '-c', script, tag, arg], capture_output=True,
                text=True, env={'PATH': str(tmp_path)}, timeout=60)
            assert (result.returncode, result.stdout, result.stderr) == (
                0, '', ''), (tag, arg)


def test_dashboard_settings_register_the_apis_policy(rpms):
    """The snippet Horizon runs registers the policy the panels decide by;
    nothing in it names a cloud account or the core's configuration.
    """
    snippet = ('/usr/share/openstack-dashboard/openstack_dashboard/local/'
               'local_settings.d/_9100_multios.py')
    assert snippet in _query(rpms[DASHBOARD], '-c').splitlines()
    settings = {'POLICY_FILES': {}, 'DEFAULT_POLICY_FILES': {},
                'POLICY_DIRS': {}}
    exec((TOP / 'rpm' / 'dashboard-settings.py').read_text(), settings)
    assert settings['POLICY_FILES'] == {'multios': 'multios_policy.yaml'}
    default = settings['DEFAULT_POLICY_FILES']['multios']
    shipped = SITELIB.sub('', next(
        p for p in _query(rpms[DASHBOARD], '-l').splitlines()
        if p.endswith('/default_policies/multios.yaml')))
    assert default.endswith(shipped)
    assert not [name for name in settings if name.startswith('MULTIOS_')]


def test_the_dashboard_needs_neither_the_core_nor_its_secrets(rpms):
    requires = _requires(rpms[DASHBOARD])
    assert not requires & {CORE, API}
    assert not [path for path in _files(rpms[DASHBOARD])
                if path.startswith('/etc/multios')]


def test_dashboard_scriptlets_do_what_rdo_dashboard_plugins_do(rpms):
    for tag in ('POSTIN', 'POSTUN'):
        script = _query(rpms[DASHBOARD], '--qf', '%%{%s}' % tag)
        assert 'manage.py collectstatic --noinput' in script
        assert 'manage.py compress --force' in script
        assert 'systemctl condrestart httpd.service' in script


def test_rpmlint_finds_no_error(build):
    if not shutil.which('rpmlint'):
        pytest.fail('rpmlint is not installed (make system-packages)',
                    pytrace=False)
    out = _run('make', '-s', '-C', str(TOP / 'rpm'), 'lint',
               'TOPDIR=%s' % build)
    assert ' 0 errors' in out, out
