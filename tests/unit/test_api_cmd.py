"""The entry points: multios-api and wsgi.application."""

import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')


def run_api(*args):
    return subprocess.run(
        [sys.executable, '-m', 'multios_api_ext.cmd', *args],
        capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_missing_config_file_is_one_line():
    process = run_api('--config-file', '/nonexistent/multios.conf')
    assert process.returncode == 1
    assert process.stderr.startswith('multios-api: ')
    assert '/nonexistent/multios.conf' in process.stderr
    assert 'Traceback' not in process.stderr


def test_missing_paste_file_is_one_line(tmp_path):
    config = tmp_path / 'multios.conf'
    config.write_text('[DEFAULT]\nclouds =\n')
    process = run_api('--config-file', str(config), '--paste-config',
                      str(tmp_path / 'missing-paste.ini'))
    assert process.returncode == 1
    assert 'missing-paste.ini not found' in process.stderr
    assert 'Traceback' not in process.stderr


def test_wsgi_application_serves_the_paste_pipeline(tmp_path):
    config = tmp_path / 'multios.conf'
    config.write_text('[DEFAULT]\nclouds =\n[api]\napi_paste_config = %s\n'
                      % os.path.abspath(os.path.join(
                          ROOT, 'etc', 'multios', 'api-paste.ini')))
    script = ('import webob; from multios_api_ext import wsgi; '
              'print(webob.Request.blank("/").get_response('
              'wsgi.application).json["versions"][0]["id"])')
    process = subprocess.run(
        [sys.executable, '-c', script], capture_output=True, text=True,
        timeout=60, cwd=ROOT, env=dict(os.environ, MULTIOS_CONFIG_FILE=str(
            config), PYTHONPATH=os.path.abspath(ROOT)))
    assert process.stdout.splitlines()[-1] == 'v1', process.stderr[-2000:]
