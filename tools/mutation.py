# SPDX-License-Identifier: Apache-2.0
"""``make mutation``: mutation testing of the core with cosmic-ray.

Each target is a module (or package) of the core and the unit tests that
should notice when it changes. cosmic-ray changes the code one mutation at
a time and runs those tests; a mutant that survives is a change no test
noticed: a missing assertion, or dead code. It runs in a copy of the
committed tree (cosmic-ray edits the files it mutates), prints each
surviving mutant and a summary per target.

Not part of ``make test``: it runs the tests once per mutant (an hour or
more for every target). ``python tools/mutation.py TARGET...`` runs some;
``--save DIR`` keeps their sessions, and ``--recheck DIR/mutation-T.sqlite``
runs only a saved session's survivors again, once tests were added.
"""

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTEST = 'python -m pytest -x -q -p no:cacheprovider'

#: The unit tests that run the database code on a real sqlite file: those
#: of each module first, which kill most mutants soonest (pytest -x).
DB_TESTS = ('tests/unit/test_db_api.py tests/unit/test_db_launches.py '
            'tests/unit/test_db_keypairs.py tests/unit/test_db_services.py '
            'tests/unit/test_db_ratelimit.py tests/unit/test_registry.py '
            'tests/unit/test_cleanup.py tests/unit/test_keypairs.py '
            'tests/unit/test_launches.py tests/unit/test_launch_specs.py '
            'tests/unit/test_placement.py')
#: oslo.db's check that the models and the migrations agree, on sqlite.
SCHEMA_SYNC = ('tests/database/test_schema.py::'
               'test_models_and_migrations_agree[sqlite]')

#: name: (module paths, the unit tests that should kill their mutants).
#: The database code is cut in four: its 800 mutants take hours whole.
TARGETS = {
    'placement': (['multios/placement'], 'tests/unit/test_placement.py'),
    'clouds': (['multios/clouds.py'], 'tests/unit/test_clouds.py '
               'tests/unit/test_cloud_state.py'),
    'launcher': (['multios/launcher.py'], 'tests/unit/test_launches.py '
                 'tests/unit/test_launch_specs.py'),
    'db-quota': (['multios/db/quota.py'], DB_TESTS),
    'db-cleanup': (['multios/db/cleanup.py'], DB_TESTS),
    'db-records': (['multios/db/launches.py', 'multios/db/keypairs.py',
                    'multios/db/clouds.py', 'multios/db/services.py'],
                   DB_TESTS),
    'db-schema': (['multios/db/api.py', 'multios/db/models.py',
                   'multios/db/migration.py', 'multios/db/ratelimit.py'],
                  ' '.join([DB_TESTS, SCHEMA_SYNC,
                            'tests/unit/test_api_resources.py'])),
}

CONFIG = """[cosmic-ray]
module-path = {modules}
timeout = {timeout}
excluded-modules = ["multios/db/migrations/**"]
test-command = "{pytest} {tests}"

[cosmic-ray.distributor]
name = "local"
"""


def _run(command, cwd, **kwargs):
    return subprocess.run(command, cwd=cwd, check=True, text=True,
                          **kwargs)


def _copy_of_head(directory):
    """The committed tree, as a file tree cosmic-ray may edit."""
    archive = subprocess.run(['git', 'archive', 'HEAD'], cwd=REPO,
                             check=True, capture_output=True).stdout
    subprocess.run(['tar', '-x', '-C', directory], input=archive, check=True)


def _session(name, directory):
    return os.path.join(directory, 'mutation-%s.sqlite' % name)


def _cosmic_ray(name, directory, timeout, session, *steps):
    """Write the target's config, then run ``cosmic-ray STEP`` for each."""
    modules, tests = TARGETS[name]
    config = os.path.join(directory, 'mutation-%s.toml' % name)
    with open(config, 'w') as out:
        out.write(CONFIG.format(modules=json.dumps(modules), tests=tests,
                                timeout=timeout, pytest=PYTEST))
    bindir = os.path.dirname(sys.executable)
    env = dict(os.environ, PYTHONPATH=directory,
               PATH=bindir + os.pathsep + os.environ.get('PATH', ''))
    for step in steps:
        command = [os.path.join(bindir, 'cosmic-ray'), step, config]
        if step != 'baseline':
            command.append(session)
        _run(command, directory, env=env)
    report = _run([os.path.join(bindir, 'cr-report'), '--show-diff',
                   '--surviving-only', session],
                  directory, env=env, capture_output=True).stdout
    print('== %s (%s, tested by %s)' % (name, ', '.join(modules), tests))
    print(report.rstrip())
    return report.count('[job-id]')


def mutate(name, directory, timeout, save):
    """Mutate one target; its session is kept in ``save`` when given, from
    the start, so that a stopped run can be resumed with --recheck.
    """
    return _cosmic_ray(name, directory, timeout,
                       _session(name, save or directory),
                       'init', 'baseline', 'exec')


def recheck(path, directory, timeout):
    """Run a saved session's survivors again with HEAD's tests, and the
    mutants it had not run yet (a stopped session resumes).

    Minutes instead of hours, once tests were added for them. The mutants
    name positions in the code: its modules must be as they were then.
    """
    name = os.path.basename(path)[len('mutation-'):-len('.sqlite')]
    if name not in TARGETS:
        raise SystemExit('%s: not a session of a target (%s)'
                         % (path, ', '.join(TARGETS)))
    session = shutil.copy(path, _session(name, directory))
    with contextlib.closing(sqlite3.connect(session)) as work, work:
        work.execute("DELETE FROM work_results "
                     "WHERE test_outcome = 'SURVIVED'")
    return _cosmic_ray(name, directory, timeout, session, 'exec')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('targets', nargs='*', metavar='TARGET',
                        help='of %s (default: every one)'
                        % ', '.join(TARGETS))
    parser.add_argument('--timeout', type=float, default=120.0,
                        help='seconds one test run may take')
    parser.add_argument('--save', metavar='DIR',
                        help='keep each session (mutation-TARGET.sqlite) '
                        'in DIR, for --recheck, even of a stopped run')
    parser.add_argument('--recheck', metavar='SESSION', nargs='+',
                        help='run the survivors of these saved sessions '
                        'again instead')
    args = parser.parse_args(argv)
    unknown = set(args.targets) - set(TARGETS)
    if unknown:
        parser.error('unknown target(s): %s' % ', '.join(sorted(unknown)))
    directory = tempfile.mkdtemp(prefix='multios-mutation-')
    try:
        _copy_of_head(directory)
        if args.recheck:
            survived = sum(recheck(path, directory, args.timeout)
                           for path in args.recheck)
        else:
            save = args.save and os.path.abspath(args.save)
            if save:
                os.makedirs(save, exist_ok=True)
            survived = sum(mutate(name, directory, args.timeout, save)
                           for name in args.targets or TARGETS)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print('%d surviving mutants' % survived)
    return 0


if __name__ == '__main__':
    sys.exit(main())
