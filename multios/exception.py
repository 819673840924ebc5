# SPDX-License-Identifier: Apache-2.0
"""MultiOS exceptions, shared by the core, the CLI, the API and the dashboard.

Modelled on ``nova.exception``: each class carries a ``msg_fmt`` filled from
keyword arguments and the HTTP ``code`` the API maps it to. Every message
goes through ``mask_password`` so that a credential that slipped into an
argument never reaches a log line, a response or a page.
"""

from oslo_log import log as logging
from oslo_utils import strutils

LOG = logging.getLogger(__name__)


def short_repr(value, limit=60):
    """``repr`` of a value, cut to about ``limit`` characters, for a message.

    repr, so that "3" and 3 differ and a newline shows as one; cut, so that
    a 300-character name does not fill the message.
    """
    if isinstance(value, str) and len(value) > limit:
        return '%r\u2026 (%d characters)' % (value[:limit], len(value))
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + '\u2026'


class MultiOSError(Exception):
    """Base MultiOS exception; subclasses define ``msg_fmt`` and ``code``."""

    msg_fmt = "An unknown exception occurred."
    code = 500

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError, ValueError):
                LOG.exception("Exception in string format operation")
                message = self.msg_fmt
        self.message = strutils.mask_password(str(message))
        super().__init__(self.message)

    def format_message(self):
        return self.message


class ConfigError(MultiOSError):
    msg_fmt = "Invalid configuration: %(reason)s"


class Invalid(MultiOSError):
    msg_fmt = "Invalid input: %(reason)s"
    code = 400


class MarkerNotFound(Invalid):
    """A page's marker names no server listed (Nova's 400 and message)."""

    msg_fmt = "marker [%(marker)s] not found"


class Forbidden(MultiOSError):
    msg_fmt = "Forbidden: %(reason)s"
    code = 403


class NotFound(MultiOSError):
    msg_fmt = "Resource could not be found."
    code = 404


class CloudNotFound(NotFound):
    msg_fmt = "Cloud %(name)s could not be found."


class ServerNotFound(NotFound):
    msg_fmt = "Server %(server_id)s could not be found."


class LaunchNotFound(NotFound):
    msg_fmt = "Launch %(launch_id)s could not be found."


class Conflict(MultiOSError):
    msg_fmt = "Conflict: %(reason)s"
    code = 409


class LaunchSettled(Conflict):
    msg_fmt = ("Launch %(launch_id)s has already ended (%(status)s): "
               "delete its servers instead.")


class DatabaseUnavailable(MultiOSError):
    """The [database] cannot be reached; nothing was changed."""

    msg_fmt = "The MultiOS database is unavailable: %(reason)s"
    code = 503


class SchemaOutdated(MultiOSError):
    """The database schema is not the one this MultiOS needs."""

    msg_fmt = ("The MultiOS database schema is at revision %(current)s, this "
               "MultiOS needs %(head)s: run 'multios-manage --config-file "
               "FILE db sync'.")
    code = 503


class CloudUnavailable(MultiOSError):
    """A cloud could not answer: down, hung, circuit open or refusing."""

    msg_fmt = "Cloud %(name)s is unavailable: %(reason)s"
    code = 503


def _each_reason(items, nothing):
    """'cloud: reason; ...' of rejections or attempts, or ``nothing``."""
    return '; '.join('%s: %s' % (i.cloud, i.reason) for i in items) or nothing


class NoValidCloud(MultiOSError):
    """The placement found no cloud; ``rejections`` says why for each."""

    msg_fmt = "No valid cloud was found: %(reason)s"
    code = 409

    def __init__(self, message=None, rejections=(), **kwargs):
        self.rejections = list(rejections)
        if not message and 'reason' not in kwargs:
            kwargs['reason'] = _each_reason(self.rejections,
                                            'no cloud is configured')
        super().__init__(message, **kwargs)


class LaunchFailed(MultiOSError):
    """Every launch attempt failed; ``attempts`` holds each one."""

    msg_fmt = "Launch failed: %(reason)s"
    code = 409

    def __init__(self, message=None, attempts=(), **kwargs):
        self.attempts = list(attempts)
        if not message and 'reason' not in kwargs:
            kwargs['reason'] = _each_reason(self.attempts,
                                            'no attempt was made')
        super().__init__(message, **kwargs)


class FpingNotFound(MultiOSError):
    msg_fmt = "fping utility is not found."
    code = 503
