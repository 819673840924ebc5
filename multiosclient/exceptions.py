# SPDX-License-Identifier: Apache-2.0
"""Errors of the MultiOS API as exceptions carrying what the API said.

Every error answer becomes a ``ClientException`` (a subclass by HTTP
status) with ``status``, the fault's ``message`` and the ``request_id``
(``x-openstack-request-id``) the operator finds in the API's log.
Transport failures are keystoneauth's own exceptions.
"""


class ClientException(Exception):
    """An error answer of the API."""

    status = None

    def __init__(self, message, status=None, request_id=None,
                 retry_after=None):
        self.message = message
        if status is not None:
            self.status = status
        self.request_id = request_id
        self.retry_after = retry_after
        super().__init__(message)

    def __str__(self):
        text = '%s (HTTP %s)' % (self.message, self.status)
        if self.request_id:
            text += ' (Request-ID: %s)' % self.request_id
        return text


class BadRequest(ClientException):
    status = 400


class Unauthorized(ClientException):
    status = 401


class Forbidden(ClientException):
    status = 403


class NotFound(ClientException):
    status = 404


class MethodNotAllowed(ClientException):
    status = 405


class Conflict(ClientException):
    status = 409


class RequestEntityTooLarge(ClientException):
    status = 413


class OverLimit(ClientException):
    """Rate limited (429); ``retry_after`` says in how many seconds."""

    status = 429


class InternalServerError(ClientException):
    status = 500


class ServiceUnavailable(ClientException):
    status = 503


_BY_STATUS = {cls.status: cls for cls in (
    BadRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed,
    Conflict, RequestEntityTooLarge, OverLimit, InternalServerError,
    ServiceUnavailable)}


def _message(response):
    """The message of a Nova-shaped fault, of keystonemiddleware's 401
    (``{"error": {...}}``), or the reason phrase.
    """
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and len(body) == 1:
        detail = next(iter(body.values()))
        if isinstance(detail, dict) and detail.get('message'):
            return str(detail['message'])
    return response.reason or 'HTTP %s' % response.status_code


def from_response(response):
    """The exception of an error answer (a requests Response)."""
    status = response.status_code
    cls = _BY_STATUS.get(status, ClientException)
    return cls(_message(response), status=status,
               request_id=response.headers.get('x-openstack-request-id'),
               retry_after=response.headers.get('Retry-After'))
