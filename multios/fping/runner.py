# SPDX-License-Identifier: Apache-2.0
"""Run the fping binary over many addresses and tell which ones answered.

Knows nothing of clouds or servers, so that building the command line,
chunking and parsing can be tested on their own. fping (>= 4) pings IPv4 and
IPv6 targets in one run and prints one ``<target> is alive`` or
``<target> is unreachable`` line per target on stdout.
"""

from concurrent import futures
import ipaddress
import os
import subprocess

from oslo_log import log as logging

from multios import exception

LOG = logging.getLogger(__name__)

# fping's exit codes: 0 all alive, 1 some unreachable, 2 some target unknown
# (answers for the others are still valid); 3 bad arguments, 4 system error.
FPING_NORMAL_EXIT_CODES = (0, 1, 2)

# Chunks run side by side so that chunking does not add one trailing timeout
# per chunk; the bound keeps the packet rate at most this many per interval.
MAX_PARALLEL_RUNS = 4


def canonical_address(address):
    """The canonical text of an IP address; None if it is not one.

    fping echoes each target exactly as given, so addresses are passed and
    compared in one form ("fd00::1", never "fd00:0::1" or "FD00::1").
    """
    try:
        return str(ipaddress.ip_address(str(address).strip()))
    except ValueError:
        LOG.warning("Ignoring %r: not an IP address", address)
        return None


def parse_output(stdout):
    """Map every target fping reported on to True (alive) or False."""
    answers = {}
    for line in stdout.splitlines():
        words = line.split()
        if len(words) >= 3 and words[1] == 'is':
            if words[2] == 'alive':
                answers[words[0]] = True
            elif words[2] == 'unreachable':
                answers.setdefault(words[0], False)
    return answers


def _format_number(value):
    return '%g' % value


class FpingRunner:
    """Pings addresses with one fping run per ``chunk_size`` of them.

    Chunking keeps the command line of a run bounded for very large sets;
    up to ``MAX_PARALLEL_RUNS`` runs go at once.

    ``interval`` and ``timeout`` are in milliseconds, as fping takes them:
    the interval paces the packets of the whole run, the timeout is how long
    fping waits for the first answer of a target before a retry.
    """

    def __init__(self, fping_path, interval, retries, timeout, chunk_size):
        self.fping_path = fping_path
        self.interval = interval
        self.retries = retries
        self.timeout = timeout
        self.chunk_size = chunk_size

    @classmethod
    def from_conf(cls, conf):
        group = conf.fping
        return cls(fping_path=group.fping_path, interval=group.interval,
                   retries=group.retries, timeout=group.timeout,
                   chunk_size=group.chunk_size)

    def check_available(self):
        """Raise FpingNotFound unless fping_path is an executable file."""
        if not (os.path.isfile(self.fping_path) and
                os.access(self.fping_path, os.X_OK)):
            LOG.warning("fping is not an executable file at %s",
                        self.fping_path)
            raise exception.FpingNotFound()

    def argv(self, targets):
        return [self.fping_path,
                '-i', _format_number(self.interval),
                '-r', str(self.retries),
                '-t', _format_number(self.timeout),
                *targets]

    def alive(self, addresses):
        """The canonical form of each of ``addresses`` that answered."""
        self.check_available()
        targets = sorted({canonical
                          for canonical in map(canonical_address, addresses)
                          if canonical})
        if not targets:
            return set()
        chunks = [targets[start:start + self.chunk_size]
                  for start in range(0, len(targets), self.chunk_size)]
        workers = min(len(chunks), MAX_PARALLEL_RUNS)
        with futures.ThreadPoolExecutor(max_workers=workers) as pool:
            return set().union(*pool.map(self._run, chunks))

    def _run(self, targets):
        argv = self.argv(targets)
        LOG.debug("Running %s with %d targets", self.fping_path, len(targets))
        try:
            process = subprocess.run(argv, stdin=subprocess.DEVNULL,
                                     capture_output=True, text=True,
                                     check=False)
        except OSError as error:
            LOG.warning("Cannot run %s: %s", self.fping_path, error)
            raise exception.FpingNotFound()
        if process.returncode not in FPING_NORMAL_EXIT_CODES:
            reason = (process.stderr.strip().splitlines() or ['no output'])[0]
            raise exception.MultiOSError(
                "fping failed with exit code %d: %s"
                % (process.returncode, reason))
        answers = parse_output(process.stdout)
        missing = len(set(targets) - set(answers))
        if missing:
            LOG.warning("fping reported nothing on %d of %d targets; "
                        "counting them as not alive", missing, len(targets))
        return {target for target in targets if answers.get(target)}
