"""Standalone HTML for an executed notebook: nbconvert's lab template, plus plotly.js once per page.

Plotly outputs carry a `text/html` fallback: a `<div class="mldp-plotly">` placeholder with a
caption (src/util/plotly-bundle.ts). For the page, each placeholder gets the figure from the same
output's `application/vnd.plotly.v1+json` as a data attribute, and plotly.js (the project's pinned
plotly.js-dist-min) is inlined once before </body> with a few lines that draw every placeholder, so
the page works offline and never embeds the 4.8 MB library once per chart.
"""

from __future__ import annotations

import copy
import html
import json
from pathlib import Path

from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
PLOTLY_JS = ROOT / "node_modules" / "plotly.js-dist-min" / "plotly.min.js"
PLACEHOLDER = 'class="mldp-plotly"'
PLOTLY_MIME = "application/vnd.plotly.v1+json"

DRAW = """
document.querySelectorAll('div.mldp-plotly[data-figure]').forEach(function (el) {
  try {
    var fig = JSON.parse(el.getAttribute('data-figure'));
    el.innerHTML = '';
    Plotly.newPlot(el, fig.data, fig.layout || {}, Object.assign({responsive: true}, fig.config || {}));
  } catch (e) { el.insertAdjacentText('beforeend', ' (plotly: ' + e + ')'); }
});
"""


def with_figures(nb):
    """A copy of the notebook whose plotly placeholders carry their figure as data-figure."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            fallback = data.get("text/html")
            if PLOTLY_MIME in data and isinstance(fallback, str) and PLACEHOLDER in fallback:
                figure = html.escape(json.dumps(data[PLOTLY_MIME]), quote=True)
                data["text/html"] = fallback.replace(PLACEHOLDER, f'{PLACEHOLDER} data-figure="{figure}"', 1)
    return nb


def to_html(nb) -> str:
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(with_figures(nb))
    if PLACEHOLDER in body and PLOTLY_JS.exists():
        script = f"<script>{PLOTLY_JS.read_text(encoding='utf-8')}</script>\n<script>{DRAW}</script>\n"
        head, sep, tail = body.rpartition("</body>")
        body = head + script + sep + tail if sep else body + script
    return body
