# SPDX-License-Identifier: Apache-2.0
"""Stopping the processes the tests start."""

import subprocess


def terminate(process, timeout=30):
    """SIGTERM, then SIGKILL if it is still there after ``timeout`` s."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
