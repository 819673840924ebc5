# SPDX-License-Identifier: Apache-2.0
"""etc/multios/multios.conf.sample must be what oslo-config-generator makes.

The generator finds option lists through ``oslo.config.opts`` entry points;
MultiOS's own are read from setup.cfg so that the check also runs from a
source tree that is not installed.
"""

import configparser
import importlib
import io
import os
import unittest
from unittest import mock

from oslo_config import cfg
from oslo_config import generator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
GENERATOR_CONF = os.path.join(ROOT, 'etc', 'multios',
                              'multios-config-generator.conf')
SAMPLE = os.path.join(ROOT, 'etc', 'multios', 'multios.conf.sample')


def _setup_cfg_loaders():
    """{namespace: list_opts function} from setup.cfg's entry points."""
    parser = configparser.ConfigParser()
    parser.read(os.path.join(ROOT, 'setup.cfg'))
    loaders = {}
    for line in parser['entry_points']['oslo.config.opts'].splitlines():
        if '=' not in line:
            continue
        name, target = (part.strip() for part in line.split('=', 1))
        module, func = target.split(':')
        loaders[name] = getattr(importlib.import_module(module), func)
    return loaders


def generate_sample():
    """The sample text the generator config describes."""
    own = _setup_cfg_loaders()
    installed = generator._get_raw_opts_loaders

    def loaders(namespaces):
        return ([(n, own[n]) for n in namespaces if n in own] +
                installed([n for n in namespaces if n not in own]))

    conf = cfg.ConfigOpts()
    generator.register_cli_opts(conf)
    conf(['--config-file', GENERATOR_CONF])
    out = io.StringIO()
    with mock.patch.object(generator, '_get_raw_opts_loaders', loaders):
        generator.generate(conf, output_file=out)
    return out.getvalue()


class SampleConfigTest(unittest.TestCase):

    def test_sample_is_up_to_date(self):
        with open(SAMPLE) as f:
            current = f.read()
        self.assertEqual(
            generate_sample(), current,
            'etc/multios/multios.conf.sample is stale: run '
            '"make sample-config"')

    def test_sample_documents_every_multios_group(self):
        sample = generate_sample()
        for group in ('[DEFAULT]', '[cloud:name]', '[placement]',
                      '[health]', '[fping]'):
            self.assertIn(group, sample)
        self.assertIn('#fping_path = /usr/sbin/fping', sample)


if __name__ == '__main__':
    print(generate_sample(), end='')
