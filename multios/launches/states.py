# SPDX-License-Identifier: Apache-2.0
"""States of launches, instances and attempts, and how they are shown.

An instance moves pending -> placed -> building -> active, or through
deleting back to pending (the next cloud), or to failed or cancelled.
"""

# Instance states.
PENDING = 'pending'
PLACED = 'placed'
BUILDING = 'building'
DELETING = 'deleting'
ACTIVE = 'active'
FAILED = 'failed'
CANCELLED = 'cancelled'
INSTANCE_SETTLED = frozenset((ACTIVE, FAILED, CANCELLED))

# Launch statuses (DESIGN's LAUNCH body): building until every instance has
# settled, then one of the others.
LAUNCH_BUILDING = 'building'
LAUNCH_ACTIVE = 'active'
LAUNCH_PARTIAL = 'partial'
LAUNCH_FAILED = 'failed'
LAUNCH_CANCELLED = 'cancelled'

# Attempt outcomes.
OUTCOME_ACTIVE = 'active'
OUTCOME_QUOTA = 'quota'
OUTCOME_ERROR = 'error'
OUTCOME_TIMEOUT = 'timeout'
OUTCOME_UNAVAILABLE = 'unavailable'
OUTCOME_REFUSED = 'refused'
OUTCOME_CANCELLED = 'cancelled'

#: The Nova-like status of an instance, as the LAUNCH body shows it.
SERVER_STATUS = {PENDING: 'BUILD', PLACED: 'BUILD', BUILDING: 'BUILD',
                 DELETING: 'BUILD', ACTIVE: 'ACTIVE', FAILED: 'ERROR',
                 CANCELLED: 'DELETED'}


def launch_status(instance_states, cancelled):
    """The status of a launch whose instances are all settled."""
    if cancelled:
        return LAUNCH_CANCELLED
    active = sum(1 for state in instance_states if state == ACTIVE)
    if active == len(instance_states):
        return LAUNCH_ACTIVE
    return LAUNCH_PARTIAL if active else LAUNCH_FAILED


def task(state, cloud, attempt, max_attempts, cancelling=False):
    """What an unsettled instance is doing, in words; None once settled."""
    if state in INSTANCE_SETTLED and not (cancelling and state == ACTIVE):
        return None
    if cancelling or state == DELETING:
        return 'deleting on %s' % cloud if cloud else 'deleting'
    if state == PENDING:
        return 'placing'
    return 'launching on %s, attempt %d of %d' % (cloud, attempt,
                                                  max_attempts)
