# SPDX-License-Identifier: Apache-2.0
"""The entry points: multios-api and wsgi.application, as processes."""

import os
import socket
import subprocess
import sys
import time

import pytest

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
PASTE_INI = os.path.abspath(os.path.join(ROOT, 'etc', 'multios',
                                         'api-paste.ini'))
#: What auth_token needs to start; no Keystone answers it, none is asked.
AUTHTOKEN = """
[keystone_authtoken]
auth_type = password
auth_url = http://127.0.0.1:1/v3
www_authenticate_uri = http://127.0.0.1:1/v3
username = multios
password = {password}
project_name = service
"""


def run_api(*args):
    return subprocess.run(
        [sys.executable, '-m', 'multios_api_ext.cmd', *args],
        capture_output=True, text=True, timeout=60, cwd=ROOT)


def write_config(tmp_path, text):
    config = tmp_path / 'multios.conf'
    config.write_text('[DEFAULT]\nclouds =\nstate_path = %s\n' % tmp_path +
                      text)
    return str(config)


def assert_one_line(process, *expected):
    assert process.returncode == 1
    assert 'Traceback' not in process.stdout + process.stderr
    assert len(process.stderr.splitlines()) == 1, process.stderr
    assert process.stderr.startswith('multios-api: ')
    for text in expected:
        assert text in process.stderr


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_missing_config_file_is_one_line():
    assert_one_line(run_api('--config-file', '/nonexistent/multios.conf'),
                    '/nonexistent/multios.conf')


def test_missing_paste_file_is_one_line(tmp_path):
    config = write_config(tmp_path, '')
    assert_one_line(run_api('--config-file', config, '--paste-config',
                            str(tmp_path / 'missing-paste.ini')),
                    'missing-paste.ini not found')


def test_binary_config_file_is_one_line_naming_it(tmp_path):
    binary = tmp_path / 'multios.conf'
    binary.write_bytes(b'[DEFAULT]\n\x7fELF\x02\x01\x01\x00\xd0\x9f\xff\n')
    assert_one_line(run_api('--config-file', str(binary)),
                    '%s is not a text file' % binary)


def test_directory_as_config_file_is_one_line_naming_it(tmp_path):
    assert_one_line(run_api('--config-file', str(tmp_path)),
                    '%s is a directory' % tmp_path)


def test_no_keystone_authtoken_refuses_to_start(tmp_path):
    config = write_config(tmp_path, '')
    assert_one_line(run_api('--config-file', config, '--paste-config',
                            PASTE_INI),
                    '[keystone_authtoken] is missing from %s' % config,
                    'auth_token')


def test_keystone_authtoken_without_auth_type_refuses_to_start(tmp_path):
    config = write_config(tmp_path, '[keystone_authtoken]\n'
                                    'www_authenticate_uri = http://x/v3\n')
    assert_one_line(run_api('--config-file', config, '--paste-config',
                            PASTE_INI),
                    '[keystone_authtoken] auth_type is not set')


def test_dollar_in_the_authtoken_password_is_named_never_shown(tmp_path):
    config = write_config(tmp_path, AUTHTOKEN.format(
        password='Sup3r$ecretPW'))
    process = run_api('--config-file', config, '--paste-config', PASTE_INI)
    assert_one_line(process, '[keystone_authtoken] password: "$" starts a '
                             'substitution of another option (write "$$" '
                             'for a "$")')
    assert 'ecret' not in process.stderr


def test_port_in_use_is_one_line(tmp_path):
    config = write_config(tmp_path, AUTHTOKEN.format(password='pw'))
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert_one_line(run_api('--config-file', config, '--paste-config',
                                PASTE_INI, '--port', str(port)),
                        'cannot listen on 127.0.0.1 port %d: Address already '
                        'in use' % port)


@pytest.fixture
def api_process(tmp_path):
    """A running multios-api -> (port, its log file)."""
    config = write_config(tmp_path, AUTHTOKEN.format(password='pw'))
    log_file = tmp_path / 'api.log'
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, '-m', 'multios_api_ext.cmd', '--config-file',
         config, '--paste-config', PASTE_INI, '--port', str(port),
         '--log-file', str(log_file)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, 'multios-api exited'
            try:
                socket.create_connection(('127.0.0.1', port), 1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, 'multios-api did not start'
                time.sleep(0.1)
        yield port, log_file
    finally:
        process.terminate()
        process.wait(15)


def test_control_characters_of_a_request_line_are_escaped_in_the_log(
        api_process):
    port, log_file = api_process
    with socket.create_connection(('127.0.0.1', port), 5) as client:
        client.sendall(b'GET /\x00\x1b[2J\xd1\x81\\x HTTP/1.0\r\n\r\n')
        while client.recv(65536):
            pass
    deadline = time.monotonic() + 10
    while b'HTTP/1.0' not in log_file.read_bytes():
        assert time.monotonic() < deadline, log_file.read_text()
        time.sleep(0.1)
    line, = [line for line in log_file.read_bytes().splitlines()
             if b'HTTP/1.0' in line]
    assert b'"GET /\\x00\\x1b[2J\xd1\x81\\\\x HTTP/1.0" 404' in line
    assert not any(byte < 0x20 for byte in line)


def test_wsgi_application_serves_the_paste_pipeline(tmp_path):
    config = write_config(tmp_path, '[api]\napi_paste_config = %s\n'
                          % PASTE_INI + AUTHTOKEN.format(password='a$$b'))
    script = ('import webob; from multios_api_ext import wsgi; '
              'print(webob.Request.blank("/").get_response('
              'wsgi.application).json["versions"][0]["id"])')
    process = subprocess.run(
        [sys.executable, '-c', script], capture_output=True, text=True,
        timeout=60, cwd=ROOT, env=dict(os.environ, MULTIOS_CONFIG_FILE=str(
            config), PYTHONPATH=os.path.abspath(ROOT)))
    assert process.stdout.splitlines()[-1] == 'v1', process.stderr[-2000:]
