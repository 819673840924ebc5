"""``multios``: the operator's command line over the federation.

``multios --config-file F [--config-dir D] COMMAND ... [--format json]``.
It acts as the operator (an admin context) unless ``--project-id`` and
``--user-id`` name a home project and user. A failure ends with a non-zero
exit status and one line on stderr, never a traceback.
"""

import logging as std_logging
import sys

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import strutils

from multios.cmd import output
from multios import conf as multios_conf
from multios import context as multios_context
from multios import exception
from multios import federation as multios_federation

LOG = logging.getLogger(__name__)

CLOUD_COLUMNS = [('name', 'Name'), ('state', 'State'),
                 ('latency_ms', 'Latency (ms)'), ('instances', 'Instances'),
                 ('cores', 'Cores'), ('ram', 'RAM (MiB)'),
                 ('reason', 'Reason')]
SERVER_COLUMNS = [('id', 'ID'), ('name', 'Name'), ('cloud', 'Cloud'),
                  ('status', 'Status'), ('networks', 'Networks'),
                  ('project_id', 'Project')]
FIELD_COLUMNS = [('field', 'Field'), ('value', 'Value')]


class CommandFailed(Exception):
    """The command ran but did not do all it was asked (exit status 1)."""


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


def _warn(errors):
    for error in errors:
        sys.stderr.write('warning: cloud %s: %s\n'
                         % (error.cloud, error.reason))


def do_clouds(federation, context, args):
    statuses = [s.to_dict() for s in federation.cloud_status()]
    rows = []
    for status in statuses:
        row = dict(status)
        if status['draining']:
            row['state'] += ' (draining)'
        for resource, values in (status['usage'] or {}).items():
            row[resource] = '%s/%s' % (values['used'], values['limit'])
        rows.append(row)
    output.emit(statuses, args.format, rows, CLOUD_COLUMNS)


def do_list(federation, context, args):
    result = federation.list_servers(context, all_tenants=args.all_tenants,
                                     cloud=args.cloud)
    data = result.to_dict()
    output.emit(data, args.format, [_server_row(s) for s in data['items']],
                SERVER_COLUMNS)
    _warn(result.errors)


def do_show(federation, context, args):
    server = federation.get_server(context, args.id).to_dict()
    rows = [{'field': k, 'value': _networks(server) if k == 'addresses'
             else server[k]} for k in server]
    output.emit(server, args.format, rows, FIELD_COLUMNS)


def do_delete(federation, context, args):
    result = federation.delete_servers(context, args.ids)
    data = result.to_dict()
    output.emit(data, args.format, [_server_row(s) for s in data['items']],
                SERVER_COLUMNS)
    if result.errors:
        raise CommandFailed('; '.join(e.reason for e in result.errors))


def _launch_request(args):
    from multios import placement
    return placement.LaunchRequest(name=args.server_name, flavor=args.flavor,
                                   image=args.image, count=args.count,
                                   cloud=args.cloud)


def _progress(line):
    sys.stderr.write(line + '\n')
    sys.stderr.flush()


def do_launch(federation, context, args):
    from multios import launcher
    from multios import placement
    request = _launch_request(args)
    if args.dry_run:
        ranking = placement.Placement(federation).rank(request)
        data = ranking.to_dict()
        rows = ([{'cloud': c['cloud'], 'result': 'score %g' % c['score']}
                 for c in data['ranked']] +
                [{'cloud': r['cloud'], 'result': 'rejected: %s' % r['reason']}
                 for r in data['rejected']])
        output.emit(data, args.format, rows,
                    [('cloud', 'Cloud'), ('result', 'Result')])
        return
    launches = launcher.Launcher(federation).launch(context, request,
                                                    progress=_progress)
    data = [launch.to_dict() for launch in launches]
    output.emit(data, args.format,
                [_server_row(item['server']) for item in data],
                SERVER_COLUMNS)


def do_cleanup(federation, context, args):
    from multios import launcher
    deleted = launcher.Launcher(federation).cleanup()
    data = [s.to_dict() for s in deleted]
    output.emit(data, args.format, [_server_row(s) for s in data],
                SERVER_COLUMNS)


def do_fping(federation, context, args):
    from multios import fping
    answers = fping.check(federation, context, server_id=args.id,
                          all_tenants=args.all_tenants,
                          include=args.include, exclude=args.exclude)
    output.emit(answers, args.format, answers,
                [('id', 'ID'), ('cloud', 'Cloud'),
                 ('project_id', 'Project'), ('alive', 'Alive')])


def _add_common(parser):
    parser.add_argument('--format', choices=['table', 'json'],
                        default='table', help='Output format.')
    parser.add_argument('--project-id',
                        help='Act as this home project (with --user-id) '
                             'instead of the operator.')
    parser.add_argument('--user-id', help='Act as this home user.')


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
    p.add_argument('--dry-run', action='store_true',
                   help='Show the placement ranking; launch nothing.')
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


def _context(args):
    if args.project_id is None and args.user_id is None:
        return multios_context.get_admin_context()
    if not (args.project_id and args.user_id):
        raise exception.Invalid(
            reason='--project-id and --user-id must be given together')
    return multios_context.RequestContext(project_id=args.project_id,
                                          user_id=args.user_id)


def _fail(message):
    lines = strutils.mask_password(message).splitlines() or ['unknown error']
    sys.stderr.write('multios: error: %s\n' % lines[0])
    return 1


def main(argv=None, conf=multios_conf.CONF):
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
        args.func(multios_federation.Federation(conf), _context(args), args)
    except (exception.MultiOSError, CommandFailed) as e:
        return _fail(str(e))
    except KeyboardInterrupt:
        return _fail('interrupted')
    except Exception as e:
        LOG.debug('Unexpected error', exc_info=True)
        return _fail('%s: %s' % (type(e).__name__, e))
    return 0


if __name__ == '__main__':
    sys.exit(main())
