# SPDX-License-Identifier: Apache-2.0
"""The steps of ``make demo`` (tools/demo.py) against real testbed clouds."""

import importlib.util
import os

import pytest

from tests.functional import helpers

pytestmark = pytest.mark.functional

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def load_demo():
    spec = importlib.util.spec_from_file_location(
        'demo', os.path.join(REPOSITORY, 'tools', 'demo.py'))
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    return demo


def test_the_clouds_shown_are_warm(testbed_factory, tmp_path, capfd):
    # A testbed of its own, which no request has reached yet: as cold as
    # the demo's clouds just after they started.
    cold = testbed_factory(clouds=1)
    config = helpers.write_config(cold, tmp_path, api_timeout=60)
    first = load_demo().show_clouds(config)
    out = capfd.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith('alpha '))
    _name, state, latency = row.split()[:3]
    assert state == 'up', out
    # The table shows the latency of a cloud at work, not of its first
    # calls (they take seconds).
    assert float(latency) < first['alpha'] / 2, (latency, first)
