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

"""JSON schemas of the request bodies."""

# Nova's parameter_types.name; the format is checked as Nova does.
_name = {'type': 'string', 'format': 'name', 'minLength': 1,
         'maxLength': 255}
# Nova's flavorRef/imageRef: an id or, for MultiOS, a name in every cloud.
_ref = {'type': ['string', 'integer'], 'minLength': 1, 'maxLength': 255}

server = {
    'type': 'object',
    'properties': {
        'server': {
            'type': 'object',
            'properties': {
                'name': _name,
                'flavorRef': _ref,
                'imageRef': _ref,
                'count': {'type': 'integer', 'minimum': 1, 'maximum': 100},
                'cloud': _name,
            },
            'required': ['name', 'flavorRef', 'imageRef'],
            'additionalProperties': False,
        },
    },
    'required': ['server'],
    'additionalProperties': False,
}


# Query strings, validated as Nova's query_schema: each parameter is the
# list of its values.
def _single(schema):
    return {'type': 'array', 'items': schema, 'maxItems': 1}


def _multi(schema):
    return {'type': 'array', 'items': schema}


# Nova's parameter_types.non_negative_integer, as a query string holds it.
_non_negative_integer = {'type': 'string', 'pattern': '^[0-9]+$',
                         'maxLength': 10}
_text = {'type': 'string', 'maxLength': 255}

servers_query = {
    'type': 'object',
    'properties': {
        'all_tenants': _single({'type': 'string'}),
        'cloud': _single(_text),
        'name': _single(_text),
        'status': _multi(_text),
        'limit': _single(_non_negative_integer),
        'marker': _single(_text),
    },
    # Nova (2.75 on) refuses what it does not know rather than ignore it.
    'additionalProperties': False,
}

# Server actions: each is the one key of its body, as Nova's.
start = {'type': 'object', 'properties': {'os-start': {'type': 'null'}},
         'required': ['os-start'], 'additionalProperties': False}
stop = {'type': 'object', 'properties': {'os-stop': {'type': 'null'}},
        'required': ['os-stop'], 'additionalProperties': False}
reboot = {
    'type': 'object',
    'properties': {
        'reboot': {
            'type': 'object',
            'properties': {
                'type': {'type': 'string',
                         'enum': ['HARD', 'Hard', 'hard',
                                  'SOFT', 'Soft', 'soft']},
            },
            'required': ['type'],
            'additionalProperties': False,
        },
    },
    'required': ['reboot'],
    'additionalProperties': False,
}
console_output = {
    'type': 'object',
    'properties': {
        'os-getConsoleOutput': {
            'type': 'object',
            'properties': {
                # Nova's: an integer from -1 (-1 and null: every line),
                # also as a string of digits.
                'length': {'type': ['integer', 'string', 'null'],
                           'pattern': '^(-1|[0-9]+)$', 'minimum': -1},
            },
            'additionalProperties': False,
        },
    },
    'required': ['os-getConsoleOutput'],
    'additionalProperties': False,
}
