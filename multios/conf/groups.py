# SPDX-License-Identifier: Apache-2.0
"""Register an option group on one ConfigOpts without sharing its state.

``ConfigOpts.register_group`` keeps a shallow copy of the OptGroup, so every
ConfigOpts given the same module-level group shares one dict of options, and
an override set on one shows on all of them. A group of its own per
ConfigOpts keeps them apart.

The groups MultiOS defines register through here: ``OWNED`` names them, and
an option they do not know is an error at start (multios.conf.validate).
Groups of libraries ([database] of oslo.db, [keystone_authtoken]...) do not.
"""

from oslo_config import cfg

#: {name: options} of every group registered through ``register``.
OWNED = {}


def register(conf, group, opts):
    own = cfg.OptGroup(group.name, title=group.title, help=group.help)
    conf.register_group(own)
    conf.register_opts(opts, group=group.name)
    OWNED.setdefault(group.name, []).extend(
        opt for opt in opts if opt not in OWNED[group.name])
