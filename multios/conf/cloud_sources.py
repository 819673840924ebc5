# SPDX-License-Identifier: Apache-2.0
"""Where the settings of each federated cloud come from.

Three sources, read together by ``read(conf)``:

* ``[cloud:NAME]`` groups of the main config files, for the names listed in
  ``[DEFAULT] clouds`` (a group not listed there is a configuration error);
* ``*.conf`` files in ``--config-dir``, one cloud each (the dashboard writes
  them): every ``[cloud:NAME]`` group found there is a cloud, listed or not;
* ``clouds_yaml`` (openstacksdk format) for listed names without a group.

A ``[cloud:NAME]`` group wins over a clouds.yaml entry of the same name.
``stamp(conf)`` is a cheap fingerprint (stat only) of all those files so
that a long-running federation re-reads them only when one changed.
"""

import dataclasses
import glob
import os
import re

from oslo_config import cfg
import yaml

from multios.conf import cloud as cloud_conf
from multios.conf import files
from multios import exception

NAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]*$')
YAML_AUTH_KEYS = ('auth_url', 'username', 'password', 'project_name',
                  'user_domain_name', 'project_domain_name')
YAML_CLOUD_KEYS = ('region_name', 'interface', 'verify', 'cacert',
                   'api_timeout')


@dataclasses.dataclass(frozen=True)
class CloudSettings:
    """Everything needed to talk to one cloud; equal settings, same cloud."""

    name: str
    source: str
    auth_url: str
    username: str
    password: str = dataclasses.field(repr=False)
    project_name: str
    user_domain_name: str
    project_domain_name: str
    region_name: str
    interface: str
    verify: bool
    cacert: str
    weight: float
    enabled: bool
    draining: bool
    api_timeout: float
    max_concurrency: int
    network_aliases: dict = dataclasses.field(default_factory=dict)


def _check_required(name, values):
    for opt in cloud_conf.REQUIRED:
        if not values.get(opt):
            raise exception.ConfigError(
                '[%s] %s is required' % (cloud_conf.group_name(name), opt))


def _from_ini(paths):
    """Parse ini files; return {name: settings} for their cloud groups.

    An option a [cloud:NAME] group does not know is an error: MultiOS owns
    these groups, and a misspelt ``verfy`` would otherwise be ignored.
    """
    conf = cfg.ConfigOpts()
    files.parse(conf, [], default_config_files=list(paths),
                default_config_dirs=[], use_env=False)
    sections = files.sections(paths)
    found = {}
    for group, options in sections.items():
        if not group.startswith(cloud_conf.GROUP_PREFIX):
            continue
        name = group[len(cloud_conf.GROUP_PREFIX):]
        if not NAME_RE.match(name):
            raise exception.ConfigError(
                '[%s] is not a valid cloud group name' % group)
        cloud_conf.register_opts(conf, name)
        for message, _match in files.unknown_options(conf, group, options):
            raise exception.ConfigError(message)
        values = {}
        for opt in cloud_conf.cloud_opts:
            try:
                values[opt.dest] = conf[group][opt.dest]
            except (ValueError, cfg.Error) as e:
                raise exception.ConfigError(
                    files.value_error(group, opt, e))
        _check_required(name, values)
        found[name] = CloudSettings(name=name, source=', '.join(paths),
                                    **values)
    return found


def _from_yaml(path, names):
    """Settings for ``names`` from an openstacksdk clouds.yaml."""
    try:
        with open(path) as f:
            data = yaml.safe_load(f) or {}
    except (OSError, yaml.YAMLError) as e:
        raise exception.ConfigError(
            '[DEFAULT] clouds_yaml: cannot read %s: %s'
            % (path, getattr(e, 'strerror', None) or 'invalid YAML'))
    entries = data.get('clouds') if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise exception.ConfigError(
            '[DEFAULT] clouds_yaml: %s has no "clouds" mapping' % path)
    found = {}
    for name in names:
        entry = entries.get(name)
        if not isinstance(entry, dict):
            continue
        raw = dict((k, v) for k, v in (entry.get('auth') or {}).items()
                   if k in YAML_AUTH_KEYS)
        raw.update((k, v) for k, v in entry.items() if k in YAML_CLOUD_KEYS)
        found[name] = build(name, path, raw,
                            '[DEFAULT] clouds_yaml: cloud %s' % name)
    return found


def build(name, source, raw, where):
    """CloudSettings of ``raw`` values (others default), typed and checked.

    ``where`` starts the message of a bad or missing value. A None value is
    an unset one (a registered cloud's stored settings keep them): its
    default, not the text "None".
    """
    opts = {opt.dest: opt for opt in cloud_conf.cloud_opts}
    values = {dest: opt.default for dest, opt in opts.items()}
    for key, value in raw.items():
        if value is None:
            continue
        try:
            values[key] = opts[key].type(value)
        except ValueError as e:
            raise exception.ConfigError('%s %s: %s' % (where, key, e))
    _check_required(name, values)
    return CloudSettings(name=name, source=source, **values)


def config_dirs(conf):
    """The ``--config-dir`` directories (oslo.config may give one or many)."""
    dirs = conf.config_dir or []
    return [dirs] if isinstance(dirs, str) else list(dirs)


def config_dir_files(conf):
    """The ``*.conf`` files of ``--config-dir``, as oslo.config reads them."""
    return [path for directory in config_dirs(conf)
            for path in sorted(glob.glob(os.path.join(directory, '*.conf')))]


def read(conf):
    """All configured clouds as {name: CloudSettings}, listed ones first.

    Raises ConfigError, naming the group and option, for a bad setting.
    """
    listed = list(conf.clouds)
    for name in listed:
        if not NAME_RE.match(name):
            raise exception.ConfigError(
                '[DEFAULT] clouds: %r is not a valid cloud name' % name)
    main = _from_ini(conf.config_file) if conf.config_file else {}
    for name in main:
        if name not in listed:
            raise exception.ConfigError(
                '[%s] is not listed in [DEFAULT] clouds'
                % cloud_conf.group_name(name))
    missing = [n for n in listed if n not in main]
    if missing and conf.clouds_yaml:
        main.update(_from_yaml(conf.clouds_yaml, missing))
    settings = {name: main[name] for name in listed if name in main}
    for name in listed:
        if name not in settings:
            raise exception.ConfigError(
                '[DEFAULT] clouds: %s has no [%s] group%s' % (
                    name, cloud_conf.group_name(name),
                    ' nor clouds_yaml entry' if conf.clouds_yaml else ''))
    for path in config_dir_files(conf):
        for name, item in _from_ini([path]).items():
            if name in settings:
                raise exception.ConfigError(
                    '[%s] in %s is already defined in %s'
                    % (cloud_conf.group_name(name), path,
                       settings[name].source))
            settings[name] = item
    return settings


def _stat(path):
    try:
        st = os.stat(path)
    except OSError:
        return (path, None)
    return (path, st.st_mtime_ns, st.st_size)


def stamp(conf):
    """Fingerprint of every cloud source file; changes when one changes."""
    paths = list(conf.config_file or [])
    if conf.clouds_yaml:
        paths.append(conf.clouds_yaml)
    paths.extend(config_dirs(conf))
    paths.extend(config_dir_files(conf))
    return tuple(_stat(p) for p in paths)
