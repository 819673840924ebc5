# SPDX-License-Identifier: Apache-2.0
"""``multios``: the operator's command line over the federation.

``multios --config-file F [--config-dir D] COMMAND ... [--format json]``.
It acts as the operator (an admin context with the ids of the home cloud's
operator account) unless ``--project-id`` and ``--user-id`` name a home
project and user. A failure ends with a non-zero exit status and one line on
stderr, never a traceback; ``EXIT_STATUSES`` says which.
"""

import argparse
import logging as std_logging
import os
import signal
import sys
import textwrap
import time

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import strutils

from multios import cloud_state
from multios.cmd import output
from multios import conf as multios_conf
from multios.conf import cloud_sources
from multios import context as multios_context
from multios import core as multios_core
from multios import exception

LOG = logging.getLogger(__name__)

CLOUD_COLUMNS = [('name', 'Name'), ('state', 'State'),
                 ('latency_ms', 'Latency (ms)'), ('instances', 'Instances'),
                 ('cores', 'Cores'), ('ram', 'RAM (MiB)'),
                 ('reason', 'Reason')]
SERVER_COLUMNS = [('id', 'ID'), ('name', 'Name'), ('cloud', 'Cloud'),
                  ('status', 'Status'), ('task', 'Task'),
                  ('networks', 'Networks'), ('project_id', 'Project')]
LAUNCH_SERVER_COLUMNS = [('name', 'Name'), ('cloud', 'Cloud'), ('id', 'ID'),
                         ('status', 'Status'), ('task', 'Task'),
                         ('attempts', 'Attempts')]
LAUNCH_COLUMNS = [('id', 'ID'), ('status', 'Status'), ('name', 'Name'),
                  ('created_at', 'Created'), ('servers', 'Servers'),
                  ('reason', 'Reason')]
#: Seconds between two looks at a launch the CLI follows.
FOLLOW_INTERVAL = 0.5
FIELD_COLUMNS = [('field', 'Field'), ('value', 'Value')]
DELETE_COLUMNS = [('id', 'ID'), ('name', 'Name'), ('cloud', 'Cloud'),
                  ('result', 'Result')]

EXIT_OK = 0
EXIT_FAILED = 1
#: Exit status of a command that did only part of what it was asked.
EXIT_PARTIAL = 3
#: As a Unix tool killed by SIGPIPE: the reader of stdout left (``| head``).
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE
EXIT_STATUSES = (
    (EXIT_OK, 'done'),
    (EXIT_FAILED, 'failed, or did not do all it was asked (the reason is '
                  'the one line on stderr)'),
    (2, 'wrong arguments'),
    (EXIT_PARTIAL, 'partial result: one or more clouds did not answer (the '
                   'others\' results are printed, the missing clouds named '
                   'on stderr and in the "errors" of --format json), or a '
                   'launch placed only some of its servers'),
    (EXIT_BROKEN_PIPE, 'the reader of the output left before the end'),
)
DESCRIPTION = (
    'The operator\'s command line of MultiOS, which federates several '
    'OpenStack clouds as if they were one: the state and quota of each '
    'cloud, the servers of every cloud (listed, shown, deleted wherever '
    'they run), launches on the cloud the placement picks, and which '
    'servers answer ping. It uses the clouds\' accounts of the '
    'configuration files and acts as the operator, or as a home project and '
    'user with --project-id and --user-id.')
#: Commands whose answer depends on who the operator is, unless they are
#: about every project: the operator's own servers and launches, the owner
#: of a launch.
IDENTITY_COMMANDS = ('list', 'fping', 'launch', 'launches')


class CommandFailed(Exception):
    """The command ran but did not do all it was asked (exit status 1)."""


class PartialResult(CommandFailed):
    """Part of the work was done (exit status EXIT_PARTIAL)."""


def _ids(value):
    return [item for item in value.split(',') if item]


def _networks(server):
    return '; '.join(
        '%s=%s' % (net, ', '.join(a.get('addr', '') for a in addrs))
        for net, addrs in sorted((server.get('addresses') or {}).items()))


def _server_row(server):
    row = dict(server)
    row['networks'] = _networks(server)
    return row


def _partial(errors):
    """Name each cloud that did not answer on stderr -> the exit status."""
    for error in errors:
        sys.stderr.write('warning: cloud %s: %s\n'
                         % (error.cloud, error.reason))
    return EXIT_PARTIAL if errors else EXIT_OK


def do_clouds(core, context, args):
    statuses = [s.to_dict() for s in core.federation.cloud_status()]
    rows = []
    for status in statuses:
        row = dict(status)
        if status['draining']:
            row['state'] += ' (draining)'
        for resource, values in (status['usage'] or {}).items():
            row[resource] = '%s/%s' % (values['used'], values['limit'])
        rows.append(row)
    output.emit(statuses, args.format, rows, CLOUD_COLUMNS)
    # Each status holds its cloud's error already (state and reason).
    return EXIT_PARTIAL if any(s['reason'] for s in statuses) else EXIT_OK


def do_list(core, context, args):
    result = core.launches.list_servers(context, all_tenants=args.all_tenants,
                                        cloud=args.cloud)
    data = result.to_dict()
    output.emit(data, args.format, [_server_row(s) for s in data['items']],
                SERVER_COLUMNS)
    return _partial(result.errors)


def do_show(core, context, args):
    server = core.federation.get_server(context, args.id).to_dict()
    rows = [{'field': k, 'value': _networks(server) if k == 'addresses'
             else server[k]} for k in server]
    output.emit(server, args.format, rows, FIELD_COLUMNS)


def do_delete(core, context, args):
    """One row per server whose deletion its cloud accepted (Nova deletes
    in the background), then the failures; no table when none was.
    """
    result = core.federation.delete_servers(context, args.ids)
    rows = [{'id': s.id, 'name': s.name, 'cloud': s.cloud,
             'result': 'deletion accepted'} for s in result.items]
    if rows or args.format == 'json':
        output.emit({'items': rows,
                     'errors': [e.to_dict() for e in result.errors]},
                    args.format, rows, DELETE_COLUMNS)
    if result.errors:
        raise CommandFailed('; '.join(e.reason for e in result.errors))


def _read(path, what, binary=False):
    """The content of ``path``; CommandFailed naming ``what`` otherwise."""
    try:
        with open(path, 'rb' if binary else 'r') as given:
            return given.read()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandFailed('%s: cannot read %s: %s' % (
            what, path, getattr(error, 'strerror', None) or error))


def _launch_request(args):
    from multios import placement
    from multios import userdata
    networks = [] if args.network == ['auto'] else args.network or []
    return placement.LaunchRequest(
        name=args.server_name, flavor=args.flavor, image=args.image,
        count=args.count, cloud=args.cloud, key_name=args.key_name,
        public_key=(_read(args.public_key, '--public-key')
                    if args.public_key else None),
        user_data=(userdata.encode(_read(args.user_data, '--user-data',
                                         binary=True))
                   if args.user_data else None),
        security_groups=tuple(args.security_group or ()),
        networks=tuple(networks),
        availability_zone=args.availability_zone)


def _progress(line):
    sys.stderr.write(line + '\n')
    sys.stderr.flush()


def _dry_run(core, request, args):
    """The ranking and the plan; not all fitting is a failure."""
    from multios.launches import service
    ranking = core.placement.rank(request)
    data = ranking.to_dict()
    rows = ([{'cloud': c['cloud'], 'result': 'score %g' % c['score']}
             for c in data['ranked']] +
            [{'cloud': r['cloud'], 'result': 'rejected: %s' % r['reason']}
             for r in data['rejected']])
    output.emit(data, args.format, rows,
                [('cloud', 'Cloud'), ('result', 'Result')])
    if args.format != 'json':
        names = service.server_names(request)
        for name, cloud in zip(names, data['plan']):
            _progress('plan: %s on %s' % (name, cloud))
    if len(ranking.plan) < request.count:
        raise CommandFailed(service.no_valid_cloud(
            request, ranking).format_message())


def _launch_rows(launch):
    return [dict(item, attempts='; '.join(
        '%s: %s' % (a['cloud'], a['outcome']) for a in item['attempts']))
        for item in launch['servers']]


def _changes(before, item):
    """Progress lines of one instance since ``before`` (its last view)."""
    for attempt in item['attempts'][len(before.get('attempts', ())):]:
        if attempt['outcome'] != 'active':
            yield '%s: %s failed (%s): %s' % (
                item['name'], attempt['cloud'], attempt['outcome'],
                attempt['reason'])
    if item['task'] and item['task'] != before.get('task'):
        yield '%s: %s' % (item['name'], item['task'])
    if item['status'] not in ('BUILD', before.get('status')):
        where = ' on %s' % item['cloud'] if item['status'] == 'ACTIVE' else ''
        yield '%s: %s%s' % (item['name'], item['status'], where)


def _follow(launches, context, launch):
    """Print each change of the launch's instances until it has ended."""
    shown = {}
    while True:
        for item in launch['servers']:
            for line in _changes(shown.get(item['name'], {}), item):
                _progress(line)
            shown[item['name']] = item
        if launch['status'] != 'building':
            return launch
        time.sleep(FOLLOW_INTERVAL)
        launch = launches.get(context, launch['id'])


def do_launch(core, context, args):
    request = _launch_request(args)
    if args.dry_run:
        return _dry_run(core, request, args)
    launches = core.launches
    launch = launches.accept(context, request, carry=not args.no_wait)
    if args.no_wait:
        if not launches.carriers():
            _progress('warning: no multios-engine or multios-api has shown '
                      'a heartbeat on this database lately: launch %s waits '
                      'until one runs' % launch['id'])
        output.emit(launch, args.format, _launch_rows(launch),
                    LAUNCH_SERVER_COLUMNS)
        return
    try:
        # Inside the try: a Ctrl-C right after the id is shown still says
        # that the launch goes on.
        _progress('launch %s accepted: %s' % (launch['id'], ', '.join(
            '%s on %s' % (s['name'], s['cloud'])
            for s in launch['servers'])))
        launch = _follow(launches, context, launch)
    except KeyboardInterrupt:
        core.runner.stop(timeout=5)
        raise CommandFailed(
            'interrupted: launch %(id)s goes on, carried by multios-engine '
            'or multios-api on the same database; follow it with '
            '"multios launches show %(id)s"' % {'id': launch['id']})
    core.runner.stop()
    output.emit(launch, args.format, _launch_rows(launch),
                LAUNCH_SERVER_COLUMNS)
    if launch['status'] == 'partial':
        raise PartialResult('launch %s is partial: %s'
                            % (launch['id'], launch['reason']))
    if launch['status'] != 'active':
        raise CommandFailed('launch %s %s: %s' % (
            launch['id'], launch['status'], launch['reason'] or 'cancelled'))


def do_launches(core, context, args):
    launches = core.launches
    if args.action == 'show':
        launch = launches.get(context, args.id)
    elif args.action == 'cancel':
        launch = launches.cancel(context, args.id)
        _progress('launch %s: cancellation requested' % args.id)
    else:
        items = launches.list(context, all_tenants=args.all_tenants)
        rows = [dict(item, servers=', '.join(
            '%s=%s' % (s['name'], s['status']) for s in item['servers']))
            for item in items]
        output.emit(items, args.format, rows, LAUNCH_COLUMNS)
        return
    output.emit(launch, args.format, _launch_rows(launch),
                LAUNCH_SERVER_COLUMNS)


def do_cleanup(core, context, args):
    report = core.cleaner.run(keep_lease=False)
    data = report.to_dict()
    if report.holder:
        raise CommandFailed('a leak cleanup is running in %s: nothing done'
                            % report.holder)
    rows = ([dict(_server_row(s), action='deleted') for s in data['deleted']] +
            [dict(_server_row(s), action='seen, deleted by a later pass')
             for s in data['sighted'] + data['waiting']])
    if args.format == 'json':
        output.emit(data, args.format)
    elif rows:
        output.emit(data, args.format, rows,
                    SERVER_COLUMNS + [('action', 'Action')])
    elif not report.key_pairs:
        _progress('nothing to clean up')
    if args.format != 'json':
        for cloud, name in report.key_pairs:
            _progress('deleted key pair %s on %s: no server uses it'
                      % (name, cloud))
    return _partial(report.errors)


def do_fping(core, context, args):
    from multios import fping
    result = fping.check(core.federation, context, server_id=args.id,
                         all_tenants=args.all_tenants,
                         include=args.include, exclude=args.exclude)
    output.emit(result.to_dict(), args.format, result.items,
                [('id', 'ID'), ('cloud', 'Cloud'),
                 ('project_id', 'Project'), ('alive', 'Alive')])
    return _partial(result.errors)


def _add_common(parser, defaults=True):
    """--format and the acting identity; a nested command's keep the
    values its parent command parsed (argparse.SUPPRESS).
    """
    unset = {} if defaults else {'default': argparse.SUPPRESS}
    parser.add_argument('--format', choices=['table', 'json'],
                        help='Output format.',
                        **({'default': 'table'} if defaults else unset))
    parser.add_argument('--project-id',
                        help='Act as this home project (with --user-id) '
                             'instead of the operator.', **unset)
    parser.add_argument('--user-id', help='Act as this home user.', **unset)


def add_command_parsers(subparsers):
    """Build the sub-commands (oslo.config SubCommandOpt handler)."""
    def command(name, func, help):
        parser = subparsers.add_parser(name, help=help)
        parser.set_defaults(func=func)
        _add_common(parser)
        return parser

    command('clouds', do_clouds, 'State, latency and quota of each cloud.')
    p = command('list', do_list, 'Servers on every cloud.')
    p.add_argument('--all-tenants', action='store_true',
                   help='Every project\'s servers (admin only).')
    p.add_argument('--cloud', help='Only this cloud.')
    p = command('show', do_show, 'One server.')
    p.add_argument('id', help='Server ID.')
    p = command('launch', do_launch, 'Launch servers where placement says.')
    # "name" is taken: SubCommandOpt stores the command's name there.
    p.add_argument('server_name', metavar='NAME', help='Server name.')
    p.add_argument('--flavor', required=True, help='Flavor name or ID.')
    p.add_argument('--image', required=True, help='Image name or ID.')
    p.add_argument('--cloud', help='Launch on this cloud only.')
    p.add_argument('--count', type=int, default=1,
                   help='Number of servers.')
    keys = p.add_mutually_exclusive_group()
    keys.add_argument('--key-name', metavar='NAME',
                      help='Boot with this key pair of the home cloud (the '
                           'operator\'s, or --user-id\'s).')
    keys.add_argument('--public-key', metavar='FILE',
                      help='Boot with the OpenSSH public key in FILE.')
    p.add_argument('--user-data', metavar='FILE',
                   help='User data (cloud-init) to boot with.')
    p.add_argument('--security-group', metavar='NAME', action='append',
                   help='A security group every cloud tried must have; '
                        'repeat for more (default: the cloud\'s '
                        '"default").')
    p.add_argument('--network', metavar='NAME', action='append',
                   help='A network to boot on, by name (see [cloud:NAME] '
                        'network_aliases); repeat for more. Default: '
                        '"auto", Nova\'s choice.')
    p.add_argument('--availability-zone', metavar='ZONE',
                   help='Boot in this availability zone.')
    p.add_argument('--dry-run', action='store_true',
                   help='Show the placement ranking and plan; launch '
                        'nothing.')
    p.add_argument('--no-wait', action='store_true',
                   help='Record the launch and exit: a running '
                        'multios-engine or multios-api carries it.')
    p = command('launches', do_launches,
                'Launches: list (default), show ID, cancel ID.')
    p.set_defaults(action='list', all_tenants=False)
    actions = p.add_subparsers(dest='action', metavar='ACTION')
    listing = actions.add_parser('list', help='Launches, newest first.')
    listing.add_argument('--all-tenants', action='store_true',
                         help='Every project\'s launches (admin only).')
    for action, help in (('show', 'One launch and its instances.'),
                         ('cancel', 'Cancel a launch: no further attempts, '
                                    'and what it made is deleted.')):
        actions.add_parser(action, help=help).add_argument(
            'id', metavar='ID', help='Launch ID (req-...).')
    for nested in actions.choices.values():
        _add_common(nested, defaults=False)
    p = command('delete', do_delete, 'Delete servers.')
    p.add_argument('ids', nargs='+', metavar='ID', help='Server ID.')
    command('cleanup', do_cleanup, 'Delete leaked MultiOS servers.')
    p = command('fping', do_fping, 'Which servers answer pings.')
    p.add_argument('id', nargs='?', help='Only this server.')
    p.add_argument('--all-tenants', action='store_true',
                   help='Every project\'s servers (admin only).')
    p.add_argument('--include', type=_ids, metavar='IDS',
                   help='Comma-separated server IDs to check only.')
    p.add_argument('--exclude', type=_ids, metavar='IDS',
                   help='Comma-separated server IDs to skip.')


command_opt = cfg.SubCommandOpt('command', title='Commands',
                                handler=add_command_parsers)


def _context(core, args):
    """The operator's context, or the member's of --project-id/--user-id."""
    if args.project_id is None and args.user_id is None:
        if (args.name in IDENTITY_COMMANDS and
                not getattr(args, 'all_tenants', False)):
            return core.federation.operator_context()
        return multios_context.get_admin_context()
    if not (args.project_id and args.user_id):
        raise exception.Invalid(
            reason='--project-id and --user-id must be given together')
    return multios_context.RequestContext(project_id=args.project_id,
                                          user_id=args.user_id)


def _no_cloud(conf):
    """Why no cloud is configured, naming where the clouds were looked for."""
    looked = list(conf.config_file or [])
    looked += [os.path.join(directory, '*.conf')
               for directory in cloud_sources.config_dirs(conf)]
    if conf.clouds_yaml:
        looked.append(conf.clouds_yaml)
    if not looked:
        return ('no cloud is configured: no configuration file was found '
                '(multios.conf in ~/.multios/, ~/, /etc/multios/ or /etc/); '
                'give one with --config-file')
    return ('no cloud is configured in %s: list them in [DEFAULT] clouds, '
            'each with its [cloud:NAME] group' % ', '.join(looked))


def _overview_parser():
    """``multios --help``: what it is and its commands, before any option.

    oslo.config's own help lists the commands last, under two screens of
    oslo.log options: this one names those options in a line. Returns the
    parser and its sub-parsers action (``choices``: the commands).
    """
    def fill(text):
        return textwrap.fill(text, 79)

    epilog = '\n'.join(
        [fill('Every command takes --format json and --project-id/--user-id; '
              '"multios COMMAND --help" shows its options. oslo.log\'s '
              'options (--log-file, --use-syslog, ...) are taken too.'),
         '', 'exit status:'] +
        [textwrap.fill(text, 79, initial_indent='  %-4d' % code,
                       subsequent_indent=' ' * 6)
         for code, text in EXIT_STATUSES])
    parser = argparse.ArgumentParser(
        prog='multios', description=fill(DESCRIPTION), epilog=epilog,
        usage='multios [--config-file FILE] [--config-dir DIR] [--debug] '
              'COMMAND ...',
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False)
    commands = parser.add_subparsers(title='commands', metavar='COMMAND')
    add_command_parsers(commands)
    # A group of their own, made after the commands, prints after them.
    options = parser.add_argument_group('options')
    options.add_argument('-h', '--help', action='help',
                         help='Show this help.')
    options.add_argument('--config-file', metavar='FILE', action='append',
                         help='A configuration file; several may be given. '
                              'Default: multios.conf in ~/.multios/, ~/, '
                              '/etc/multios/ or /etc/.')
    options.add_argument('--config-dir', metavar='DIR', action='append',
                         help='A directory of *.conf files, read after them '
                              '(each [cloud:NAME] group there is a cloud).')
    options.add_argument('--debug', action='store_true',
                         help='Log at DEBUG level on stderr.')
    return parser, commands


def _asks_overview(argv, commands):
    """-h/--help before any command (``multios COMMAND --help`` is not)."""
    for arg in argv:
        if arg in ('-h', '--help'):
            return True
        if arg in commands:
            return False
    return False


def _broken_pipe():
    """stdout's reader left: stop quietly, as Unix tools do.

    What is still buffered goes nowhere, so that Python's flush at exit
    does not report the broken pipe again.
    """
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is no file (a test's StringIO)
    return EXIT_BROKEN_PIPE


def _fail(message):
    lines = strutils.mask_password(message).splitlines() or ['unknown error']
    sys.stderr.write('multios: error: %s\n' % lines[0])
    return EXIT_FAILED


def main(argv=None, conf=multios_conf.CONF):
    argv = sys.argv[1:] if argv is None else argv
    overview, commands = _overview_parser()
    if _asks_overview(argv, commands.choices):
        overview.print_help()
        return EXIT_OK
    conf.register_cli_opt(command_opt)
    logging.register_options(conf)
    # stdout carries the command's output only; logs go to stderr.
    conf.set_default('use_stderr', True)
    try:
        multios_conf.load(argv, conf=conf)
        if not conf.debug:
            # The one-line reasons printed below say it all already.
            std_logging.getLogger('multios').setLevel(std_logging.ERROR)
        args = conf.command
        # A new process each run: the clouds' breakers and tokens are kept
        # on this host from one run to the next.
        core = multios_core.Core(
            conf, 'cli', state_file=cloud_state.StateFile(conf.state_path))
        if not core.federation.clouds():
            raise CommandFailed(_no_cloud(conf))
        status = args.func(core, _context(core, args), args)
        sys.stdout.flush()
    except BrokenPipeError:
        return _broken_pipe()
    except PartialResult as e:
        _fail(str(e))
        return EXIT_PARTIAL
    except (exception.MultiOSError, CommandFailed) as e:
        return _fail(str(e))
    except KeyboardInterrupt:
        return _fail('interrupted')
    except Exception as e:
        LOG.debug('Unexpected error', exc_info=True)
        return _fail('%s: %s' % (type(e).__name__, e))
    return status or EXIT_OK


if __name__ == '__main__':
    sys.exit(main())
