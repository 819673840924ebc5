"""multiosclient: the Python client of the MultiOS REST API.

``multiosclient.client.Client(session)`` talks to the ``multios`` service
of the Keystone catalog (or an endpoint override) with a keystoneauth
Session, as every OpenStack client does; ``multiosclient.osc`` is its
``openstack federation ...`` command plugin. It imports nothing of the
MultiOS core: only the REST API is between them.
"""
