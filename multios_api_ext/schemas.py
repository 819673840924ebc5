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

# Nova's names of key pairs (2.92), security groups and zones.
_key_name = {'type': 'string', 'pattern': r'^[_\-\@\. a-zA-Z0-9]+$',
             'minLength': 1, 'maxLength': 255}
_named = {'type': 'object', 'properties': {'name': _name},
          'required': ['name'], 'additionalProperties': False}

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
                # One of the caller's key pairs in the home cloud, or a
                # public key: MultiOS imports it where the server lands.
                'key_name': _key_name,
                'public_key': {'type': 'string', 'format': 'ssh_public_key',
                               'maxLength': 16384},
                # As Nova takes them.
                'user_data': {'type': 'string', 'format': 'base64',
                              'maxLength': 65535},
                'security_groups': {'type': 'array', 'items': _named,
                                    'minItems': 1},
                'availability_zone': _name,
                # Nova's "auto", or networks by name (ids differ by cloud).
                'networks': {'oneOf': [
                    {'type': 'array', 'items': _named, 'minItems': 1},
                    {'type': 'string', 'enum': ['auto']}]},
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
        'sort_dir': _single({'enum': ['asc', 'desc']}),
    },
    # Nova (2.75 on) refuses what it does not know rather than ignore it.
    'additionalProperties': False,
}

# One server: the one cloud to ask (a front end polling a row knows it).
server_query = {
    'type': 'object',
    'properties': {'cloud': _single(_text)},
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


_cloud_name = {'type': 'string', 'pattern': r'^[A-Za-z0-9][A-Za-z0-9_.-]*$',
               'maxLength': 64}
_setting = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_changeable = {
    'enabled': {'type': 'boolean'},
    'draining': {'type': 'boolean'},
    'weight': {'type': 'number', 'minimum': 0},
}

cloud_create = {
    'type': 'object',
    'properties': {
        'cloud': {
            'type': 'object',
            'properties': dict({
                'name': _cloud_name,
                'auth_url': {'type': 'string', 'pattern': '^https?://',
                             'maxLength': 255},
                'username': _setting,
                'password': {'type': 'string', 'minLength': 1,
                             'maxLength': 255, 'secret': True},
                'project_name': _setting,
                'user_domain_name': _setting,
                'project_domain_name': _setting,
                'region_name': _setting,
                'interface': {'enum': ['public', 'internal', 'admin']},
                'verify': {'type': 'boolean'},
                'cacert': _setting,
                'api_timeout': {'type': 'number', 'minimum': 0.1},
                'max_concurrency': {'type': 'integer', 'minimum': 1},
                'network_aliases': {'type': 'object',
                                    'additionalProperties': _text},
            }, **_changeable),
            'required': ['name', 'auth_url', 'username', 'password',
                         'project_name'],
            'additionalProperties': False,
        },
    },
    'required': ['cloud'],
    'additionalProperties': False,
}

cloud_update = {
    'type': 'object',
    'properties': {
        'cloud': {
            'type': 'object',
            'properties': _changeable,
            'minProperties': 1,
            'additionalProperties': False,
        },
    },
    'required': ['cloud'],
    'additionalProperties': False,
}
