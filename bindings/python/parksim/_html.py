"""Small HTML pieces for the notebook views (_repr_html_) of Scenario, Result and EnsembleResult: every text from
a scenario or a run is escaped."""

import html
import re

__all__ = ["html_escape", "html_table", "swatch"]


def html_escape(value):
    return html.escape(str(value), quote=True)


def swatch(colour):
    """A small square of `colour` ("#RRGGBB"; anything else is drawn grey, never written into the page)."""
    safe = colour if isinstance(colour, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", colour) else "#999999"
    return (f'<span style="display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;'
            f'border:1px solid #777;background:{safe}"></span>')


def html_table(header, rows, escape_cells=True, escape_columns=None):
    """A table of `rows` (sequences of cells) under `header`; cells escaped (all, or only the columns listed in
    escape_columns when escape_cells is False - the others hold markup made here)."""
    if not rows:
        return ""
    head = "".join(f"<th style='text-align:left'>{html_escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for k, cell in enumerate(row):
            text = html_escape(cell) if escape_cells or (escape_columns and k in escape_columns) else str(cell)
            cells.append(f"<td style='text-align:left'>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"
