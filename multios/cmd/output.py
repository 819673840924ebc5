# SPDX-License-Identifier: Apache-2.0
"""How CLI commands print: a plain text table or JSON, on stdout."""

import json
import sys


def _cell(value):
    if value is None:
        return ''
    if isinstance(value, float):
        return '%g' % value
    return str(value)


def table(rows, columns, stream=None):
    """Print ``rows`` (dicts) as a table of ``columns`` (key, heading)."""
    stream = stream or sys.stdout
    cells = [[_cell(row.get(key)) for key, _heading in columns]
             for row in rows]
    headings = [heading for _key, heading in columns]
    widths = [max([len(h)] + [len(r[i]) for r in cells])
              for i, h in enumerate(headings)]
    for line in [headings] + cells:
        stream.write('  '.join(c.ljust(w) for c, w in zip(line, widths))
                     .rstrip() + '\n')


def emit(data, fmt, rows=None, columns=None, stream=None):
    """JSON of ``data``, or a table of ``rows`` (default: ``data``)."""
    stream = stream or sys.stdout
    if fmt == 'json':
        json.dump(data, stream, indent=2, sort_keys=True, default=str)
        stream.write('\n')
    else:
        table(data if rows is None else rows, columns, stream)
