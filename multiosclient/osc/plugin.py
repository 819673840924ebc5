# SPDX-License-Identifier: Apache-2.0
"""The ``openstack`` CLI plugin: ``openstack federation ...`` (osc-lib).

The client is made over the CLI's own Session, so the usual ``--os-*``
options and ``OS_*`` variables (or clouds.yaml) authenticate; the API is
the catalog's ``multios`` service unless ``--os-multios-endpoint-override``
(``OS_MULTIOS_ENDPOINT_OVERRIDE``) names its URL.
"""

from osc_lib import utils

from multiosclient import client

DEFAULT_API_VERSION = '1'
API_VERSION_OPTION = 'os_federation_api_version'
API_NAME = 'federation'
API_VERSIONS = {'1': 'multiosclient.client.Client'}


def make_client(instance):
    """The multiosclient Client of the CLI's ClientManager."""
    client_class = utils.get_client_class(
        API_NAME, instance._api_version[API_NAME], API_VERSIONS)
    return client_class(
        instance.session,
        endpoint_override=instance.get_endpoint_for_service_type(
            client.SERVICE_TYPE, region_name=instance.region_name,
            interface=instance.interface),
        interface=instance.interface, region_name=instance.region_name)


def build_option_parser(parser):
    """The plugin's global options."""
    parser.add_argument(
        '--os-federation-api-version', metavar='<federation-api-version>',
        default=utils.env('OS_FEDERATION_API_VERSION'),
        help='MultiOS API version, default=%s (Env: '
             'OS_FEDERATION_API_VERSION)' % DEFAULT_API_VERSION)
    parser.add_argument(
        '--os-multios-endpoint-override', metavar='<url>',
        default=utils.env('OS_MULTIOS_ENDPOINT_OVERRIDE'),
        help='URL of the MultiOS API instead of the catalog\'s multios '
             'service, e.g. http://host:8790/v1 (Env: '
             'OS_MULTIOS_ENDPOINT_OVERRIDE)')
    return parser
