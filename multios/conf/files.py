# SPDX-License-Identifier: Apache-2.0
"""Configuration files as oslo.config reads them.

``ini_value`` is what to write so that oslo.config reads a value back
unchanged; ``parse`` turns every file that cannot be read into a one-line
ConfigError naming it; ``value_error`` says what is wrong with a value
without showing a secret; ``unknown_options`` finds what a file sets that no
option is registered for.
"""

import argparse
import difflib
import glob
import os

from oslo_config import cfg

from multios import exception

QUOTES = ('"', "'")


def ini_value(value):
    """``value`` as written after ``name = `` in an oslo.config file.

    oslo.config substitutes ``$name`` and ``${name}`` (``$$`` is one
    ``$``), strips the spaces around a value and one pair of quotes around
    it: so every ``$`` is doubled, and a value with spaces at either end,
    or starting and ending with the same quote, is put in double quotes.
    A value of several lines cannot be written (ValueError).
    """
    text = str(value)
    if '\n' in text or '\r' in text:
        raise ValueError('a configuration value must be one line')
    text = text.replace('$', '$$')
    if text != text.strip() or (text[:1] in QUOTES and text[-1] == text[0]):
        text = '"%s"' % text
    return text


def parse(conf, args, **kwargs):
    """``conf(args, **kwargs)``; ConfigError for a file it cannot read."""
    try:
        conf(args, **kwargs)
    except cfg.Error as e:
        raise exception.ConfigError(str(e))
    except (UnicodeDecodeError, OSError) as e:
        named = [e.filename] if getattr(e, 'filename', None) else (
            _given_files(args, kwargs))
        raise exception.ConfigError(read_error(named) or
                                    '%s: %s' % (type(e).__name__, e))


def _given_files(args, kwargs):
    """The files oslo.config reads for ``args``: named, else the defaults."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument('--config-file', action='append', default=[])
    parser.add_argument('--config-dir', action='append', default=[])
    named, _others = parser.parse_known_args(args)
    project = kwargs.get('project')
    paths = named.config_file or kwargs.get('default_config_files')
    if paths is None:
        paths = cfg.find_config_files(project) if project else []
    dirs = named.config_dir or kwargs.get('default_config_dirs')
    if dirs is None:
        dirs = cfg.find_config_dirs(project) if project else []
    return list(paths) + [path for directory in dirs for path in
                          sorted(glob.glob(os.path.join(directory, '*.conf')))]


def read_error(paths):
    """Why the first unreadable file of ``paths`` is so, or None.

    oslo.config lets a UnicodeDecodeError or IsADirectoryError through
    without the file's name; this finds the file and says what is wrong.
    """
    for path in paths:
        try:
            with open(path, encoding='utf-8') as f:
                f.read()
        except UnicodeDecodeError as e:
            return ('%s is not a text file: byte 0x%02x at offset %d is not '
                    'UTF-8' % (path, e.object[e.start], e.start))
        except IsADirectoryError:
            return '%s is a directory, not a configuration file' % path
        except OSError as e:
            return '%s: %s' % (path, e.strerror)
    return None


def value_error(group, opt, error):
    """'[group] option: what is wrong' of a value oslo.config cannot read.

    Never a part of a secret's value: oslo.config's messages quote values,
    and a ``$`` in a password reads as a substitution of an option named
    after what follows it.
    """
    if isinstance(error, (cfg.NoSuchOptError,
                          cfg.TemplateSubstitutionError)):
        why = ('"$" starts a substitution of another option (write "$$" '
               'for a "$")')
        if not opt.secret:
            why += ': %s' % error
    elif opt.secret:
        why = 'not a valid value'
    else:
        why = str(error).rpartition(' is not valid: ')[2]
    return '[%s] %s: %s' % (group, opt.dest, why)


def sections(paths):
    """{section: [option names]} of the files, as oslo.config parses them."""
    found = {}
    for path in paths:
        if not os.path.isfile(path):
            continue  # a default file that does not exist
        parsed = {}
        cfg.ConfigParser(os.path.abspath(path), parsed).parse()
        for section, values in parsed.items():
            found.setdefault(section, []).extend(
                name for name in values if name not in found.get(section, ()))
    return found


def unknown_options(conf, group, names, opts=()):
    """[(message, close match or None)] of the ``names`` ``group`` lacks.

    ``group`` must be registered on ``conf``: its registered options are
    the known ones, so a new group or option is covered by itself; the
    deprecated names of ``opts`` are known too. The message names the
    option and suggests the close match, if there is one.
    """
    known = list(conf if group == 'DEFAULT' else conf[group]) + [
        old.name for opt in opts for old in opt.deprecated_opts
        if old.name and old.group in (None, group)]
    messages = []
    for name in names:
        if name.replace('-', '_') in known:
            continue
        match = next(iter(difflib.get_close_matches(name, known, 1)), None)
        messages.append(('[%s] %s is not a known option%s' % (
            group, name, ' (did you mean %s?)' % match if match else ''),
            match))
    return messages
