"""Durable launch requests: accept, run, heartbeat, adopt, cancel.

``service.LaunchService`` is what the front ends call; ``runner.Runner``
carries launches to their end in a process and adopts orphaned ones; the
instance state machine itself is ``multios.launcher``. The states and
their invariants are described in doc/source/contributor/launches.rst.
"""
