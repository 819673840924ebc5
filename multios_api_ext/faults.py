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

"""OpenStack-shaped faults and the middleware that turns errors into them.

The bodies are the ones Nova writes (nova/api/openstack/wsgi.py Fault), so
that clients already parsing Nova errors parse ours unchanged.
"""

import json

from oslo_log import log as logging
from oslo_middleware import base
import webob.dec
import webob.exc

LOG = logging.getLogger(__name__)

FAULT_NAMES = {
    400: 'badRequest',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'itemNotFound',
    405: 'badMethod',
    409: 'conflictingRequest',
    413: 'overLimit',
    415: 'badMediaType',
    429: 'overLimit',
    501: 'notImplemented',
    503: 'serviceUnavailable',
}
GENERIC_MESSAGE = ('Unexpected API Error. Please report this to the cloud '
                   'operator and attach the multios-api log if possible.')


def wsgi_text(value):
    """A WSGI environ string as text: PEP 3333 gives each byte as one
    latin-1 character; the bytes are UTF-8, and those that are not become
    U+FFFD (webob's ``req.path`` raises UnicodeDecodeError on them).
    """
    return value.encode('latin-1').decode('utf-8', 'replace')


def request_path(req):
    """The path of ``req`` for a log line, whatever bytes it holds."""
    return wsgi_text(req.environ.get('SCRIPT_NAME', '') +
                     req.environ.get('PATH_INFO', ''))


def fault_body(code, message, retry_after=None):
    """The JSON document of a fault, e.g. {"itemNotFound": {...}}."""
    detail = {'code': code, 'message': message}
    if retry_after is not None:
        detail['retryAfter'] = str(retry_after)
    return {FAULT_NAMES.get(code, 'computeFault'): detail}


class Fault(webob.exc.HTTPException):
    """Wrap a webob HTTP error to answer with a Nova-shaped JSON body."""

    def __init__(self, exception):
        self.wrapped_exc = exception
        self.status_int = exception.status_int

    @webob.dec.wsgify
    def __call__(self, req):
        exc = self.wrapped_exc
        code = exc.status_int
        retry_after = (exc.headers.get('Retry-After')
                       if code in (413, 429) else None)
        LOG.debug('Returning %(code)s to user: %(message)s',
                  {'code': code, 'message': exc.explanation})
        exc.content_type = 'application/json'
        exc.charset = 'UTF-8'
        exc.text = json.dumps(fault_body(code, exc.explanation, retry_after))
        return exc

    def __str__(self):
        return self.wrapped_exc.__str__()


def method_not_allowed(method, allowed):
    """The 405 of a resource that serves only ``allowed`` (method names).

    The message is webob's HTTPMethodNotAllowed one and ``Allow`` lists the
    methods, as RFC 9110 asks of a 405.
    """
    return Fault(webob.exc.HTTPMethodNotAllowed(
        explanation='The method %s is not allowed for this resource.'
        % method, headers={'Allow': ', '.join(allowed)}))


def internal_error():
    """A 500 computeFault that tells nothing about the cause."""
    return Fault(webob.exc.HTTPInternalServerError(
        explanation=GENERIC_MESSAGE))


class FaultWrapper(base.ConfigurableMiddleware):
    """Turn every error below it into a fault, and never leak a traceback.

    Exceptions become a generic computeFault (the cause goes to the log
    only). Error responses of other middleware that are not JSON, such as
    the 413 of oslo.middleware's size limiter, are reshaped into faults too.
    """

    @webob.dec.wsgify
    def __call__(self, req):
        try:
            response = req.get_response(self.application)
        except Exception:
            LOG.exception('Unexpected error serving %(method)s %(path)s',
                          {'method': req.method, 'path': request_path(req)})
            return internal_error()
        if response.status_int >= 400 and response.content_type != \
                'application/json':
            return self._reshape(response)
        return response

    @staticmethod
    def _reshape(response):
        exc = webob.exc.status_map.get(response.status_int,
                                       webob.exc.HTTPInternalServerError)
        reshaped = exc()
        for header in ('Retry-After', 'WWW-Authenticate'):
            if header in response.headers:
                reshaped.headers[header] = response.headers[header]
        return Fault(reshaped)
