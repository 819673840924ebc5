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

"""JSON-schema validation of request bodies, with messages naming the field.

Modelled on nova.api.validation: the message says which attribute is wrong,
e.g. ``Invalid input for field/attribute server.count. Value: '2'. It is
not of type 'integer'``. The value is shown once, as a cut ``repr``.
Format ``name`` is Nova's server name rule (multios.names), ``base64``
Nova's user data, ``ssh_public_key`` an OpenSSH public key. A property
whose schema says ``"secret": True`` never has its value shown.
"""

import functools

import jsonschema
import webob.exc

from multios import exception
from multios import keypairs
from multios import names
from multios import userdata

FORMAT_CHECKER = jsonschema.FormatChecker()
FORMAT_CHECKER.checks('name')(names.is_valid)
FORMAT_CHECKER.checks('base64')(userdata.is_valid)
FORMAT_CHECKER.checks('ssh_public_key')(keypairs.is_valid)
#: What a value of each format must be.
FORMATS = {'name': names.RULE, 'base64': 'base64 text',
           'ssh_public_key': 'one OpenSSH public key ("ssh-ed25519 AAAA... '
                             'comment")'}


def _reason(error):
    """What is wrong with the value, without repeating the value."""
    if error.validator == 'format' and error.validator_value in FORMATS:
        return 'It must be %s.' % FORMATS[error.validator_value]
    if error.validator == 'maxItems' and error.validator_value == 1:
        return 'It may be given once only.'
    if error.validator == 'maxLength':
        return 'It is longer than %d characters.' % error.validator_value
    # jsonschema's messages start with the value's repr: "It" instead.
    value = repr(error.instance)
    if error.message.startswith(value):
        return 'It%s.' % error.message[len(value):]
    return error.message


def _message(error, what):
    """``what``: the wrong input, e.g. ``field/attribute server.count``."""
    if error.validator in ('required', 'additionalProperties'):
        # The message itself names the missing or unexpected property.
        return 'Invalid input for %s. %s' % (what, error.message)
    if isinstance(error.schema, dict) and error.schema.get('secret'):
        return 'Invalid input for %s. %s' % (
            what, error.message.replace(repr(error.instance), 'It', 1))
    return 'Invalid input for %s. Value: %s. %s' % (
        what, exception.short_repr(error.instance), _reason(error))


def _first_error(schema, document):
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=FORMAT_CHECKER)
    return jsonschema.exceptions.best_match(validator.iter_errors(document))


def validate(schema, body):
    """Raise HTTPBadRequest naming the first wrong field of body."""
    error = _first_error(schema, body)
    if error is not None:
        field = '.'.join(str(part) for part in error.absolute_path) or 'body'
        raise webob.exc.HTTPBadRequest(
            explanation=_message(error, 'field/attribute ' + field))


def validate_query(schema, req):
    """Raise HTTPBadRequest naming the first wrong query parameter.

    As Nova's query_schema: every parameter is a list of its values (a
    parameter given once is a list of one).
    """
    try:
        query = req.GET.dict_of_lists()
    except UnicodeDecodeError:
        raise webob.exc.HTTPBadRequest(
            explanation='Query string is not UTF-8 encoded')
    error = _first_error(schema, query)
    if error is not None:
        # The parameter, not the index of its value: "limit", not "limit.0".
        what = ' '.join(['query parameters'] + [
            str(part) for part in list(error.absolute_path)[:1]])
        raise webob.exc.HTTPBadRequest(explanation=_message(error, what))


def query_schema(schema_):
    """Decorate a controller action so its query string is validated
    first.
    """
    def decorator(func):
        @functools.wraps(func)
        def wrapper(self, req, caller, **kwargs):
            validate_query(schema_, req)
            return func(self, req, caller, **kwargs)
        return wrapper
    return decorator


def schema(body_schema):
    """Decorate a controller action so its body is validated first."""
    def decorator(func):
        @functools.wraps(func)
        def wrapper(self, req, caller, body, **kwargs):
            validate(body_schema, body)
            return func(self, req, caller, body=body, **kwargs)
        return wrapper
    return decorator
