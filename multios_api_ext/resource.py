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

"""Call one controller action: parse the body, serialise, map errors.

Modelled on nova/api/openstack/wsgi.py Resource. Controller actions take
``(req, caller, **url_args)`` (plus ``body`` for POST and PUT)
and return a dict to send as JSON (or a ``ResponseObject`` with headers);
``response(code)`` sets another success status.
"""

import json

from oslo_log import log as logging
import webob
import webob.dec
import webob.exc

from multios import exception
from multios_api_ext import context
from multios_api_ext import faults

LOG = logging.getLogger(__name__)


class ResponseObject:
    """A body to send with headers (or a status) of its own, as Nova's
    ResponseObject; ``code`` overrides the action's ``response``.
    """

    def __init__(self, body, headers=None, code=None):
        self.body = body
        self.headers = headers or {}
        self.code = code


def response(code):
    """Set the success status of a controller action, e.g. 202 or 204."""
    def decorator(func):
        func.wsgi_code = code
        return func
    return decorator


def _body(req):
    """The JSON body of a POST or PUT (None if empty); others have none."""
    if not req.body:
        return None
    if req.content_type not in ('', 'application/json'):
        raise webob.exc.HTTPUnsupportedMediaType(
            explanation='Unsupported Content-Type %s: use application/json.'
            % req.content_type)
    try:
        return json.loads(req.body)
    except (ValueError, RecursionError):
        # RecursionError: nesting deeper than the parser's stack (a body of
        # "[[[[..." well under the size limit).
        raise webob.exc.HTTPBadRequest(explanation='Malformed request body.')


def _core_fault(error):
    """The fault of a core exception.

    Their messages are safe to show (no credentials), but a 500 is about
    the service, not the request: the caller gets the generic message and
    the log gets the cause.
    """
    if error.code == 500:
        LOG.error('Core error: %s', error)
        return faults.internal_error()
    http_error = webob.exc.status_map.get(error.code,
                                          webob.exc.HTTPInternalServerError)
    return faults.Fault(http_error(explanation=str(error)))


class Resource:
    """A WSGI app calling the action the router matched on a controller."""

    def __init__(self, controller, backend):
        self.controller = controller
        self.backend = backend

    @webob.dec.wsgify
    def __call__(self, req):
        # Routes matches PATH_INFO as WSGI hands it: bytes as latin-1.
        args = {key: faults.wsgi_text(value)
                for key, value in req.urlvars.items()
                if key not in ('controller', 'action')}
        action = getattr(self.controller, req.urlvars['action'])
        try:
            caller = context.caller_from_environ(req.environ,
                                                 self.backend.enforcer)
            if req.method in ('POST', 'PUT'):
                args['body'] = _body(req)
            result = action(req, caller, **args)
        except webob.exc.HTTPException as error:
            return faults.Fault(error)
        except exception.MultiOSError as error:
            return _core_fault(error)
        except Exception:
            LOG.exception('Unexpected error in %s %s', req.method,
                          faults.request_path(req))
            return faults.internal_error()
        code = getattr(action, 'wsgi_code', 200)
        headers = {}
        if isinstance(result, ResponseObject):
            code = result.code or code
            result, headers = result.body, result.headers
        if result is None:
            response = webob.Response(status=code, content_type=None)
        else:
            response = webob.Response(status=code, json_body=result,
                                      charset='UTF-8')
        response.headers.update(headers)
        return response
