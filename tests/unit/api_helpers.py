# SPDX-License-Identifier: Apache-2.0
"""Shared set-up of the API unit tests: the real paste pipeline, no cloud.

The pipeline of etc/multios/api-paste.ini is loaded as shipped, except that
keystonemiddleware's auth_token lets requests through (the tests send the
headers it would set) and the core objects are mocks, but for a real sqlite
database (the rate limits count there).
"""

import os
import tempfile
import types

from unittest import mock

from oslo_config import cfg
from paste import deploy
import webob

from multios import conf as core_conf
from multios.db import api as db_api

from multios_api_ext import app
from multios_api_ext import backend
from multios_api_ext import conf as api_conf

PASTE_INI = os.path.join(os.path.dirname(__file__), '..', '..', 'etc',
                         'multios', 'api-paste.ini')
MEMBER = {'project_id': 'p-member', 'user_id': 'u-member',
          'roles': 'member,reader'}
OTHER_MEMBER = {'project_id': 'p-other', 'user_id': 'u-other',
                'roles': 'member,reader'}
# Kept here: the tests patch backend.Backend to return mocked_backend().
REAL_BACKEND = backend.Backend
ADMIN = {'project_id': 'p-admin', 'user_id': 'u-admin',
         'roles': 'admin,member,reader'}


def _no_auth_filter(global_conf, **local_conf):
    return lambda application: application


def load(conf=None, name='multios', make_backend=None):
    """Load the paste app with mocked core objects; returns (app, backend).

    ``make_backend(conf)`` builds another backend than ``mocked_backend``.
    """
    conf = conf or make_conf()
    make_backend = make_backend or mocked_backend
    made = {}

    def fake_backend(load_conf):
        made['backend'] = make_backend(conf)
        return made['backend']

    with mock.patch('keystonemiddleware.auth_token.filter_factory',
                    _no_auth_filter), \
            mock.patch.object(app.backend, 'Backend', fake_backend):
        application = deploy.loadapp('config:' + os.path.abspath(PASTE_INI),
                                     name=name)
    return application, made.get('backend')


def mocked_backend(conf):
    """A real Backend whose core objects are mocks, its database real."""
    api_backend = REAL_BACKEND(lambda: conf)
    core = mock.Mock(name='core')
    core.db = db_api.Database(conf)
    api_backend._built['core'] = core
    return api_backend


#: The state (sqlite databases) of every test's configuration.
_STATE = tempfile.TemporaryDirectory(prefix='multios-api-tests-')


def make_conf(**api_overrides):
    """A private ConfigOpts with every option, parsed from nothing."""
    conf = cfg.ConfigOpts()
    core_conf.register_opts(conf)
    api_conf.register_opts(conf)
    conf(args=[], default_config_files=[])
    conf.set_override('state_path', tempfile.mkdtemp(dir=_STATE.name))
    conf.set_override('sqlite_synchronous', False, group='database')
    for name, value in api_overrides.items():
        conf.set_override(name, value, group='api')
    return conf


def request(application, path, method='GET', caller=MEMBER, body=None,
            **kwargs):
    """Send one request with the identity headers auth_token would set."""
    headers = kwargs.pop('headers', {})
    if caller is not None:
        headers.update({'X-Identity-Status': 'Confirmed',
                        'X-Project-Id': caller['project_id'],
                        'X-User-Id': caller['user_id'],
                        'X-Roles': caller['roles']})
    if body is not None:
        kwargs['body'] = body if isinstance(body, bytes) else body.encode()
        kwargs.setdefault('content_type', 'application/json')
    req = webob.Request.blank(path, method=method, headers=headers,
                              **kwargs)
    return req.get_response(application)


def mocked_api():
    """The API app over a mocked backend -> namespace of the app, the
    backend, and the mocks of its federation and launches.
    """
    application, mocked = load()
    return types.SimpleNamespace(app=application, backend=mocked,
                                 fed=mocked.federation,
                                 launches=mocked.launches)


def call(api, path, **kwargs):
    """``request`` to the app of ``mocked_api()``."""
    return request(api.app, path, **kwargs)
