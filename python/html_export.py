"""Standalone HTML for an executed notebook: nbconvert's lab template, plus plotly.js once per page.

Plotly outputs carry a `text/html` fallback: a `<div class="mldp-plotly" data-figure="{json}">`
placeholder (src/display/plotly.ts). When a page has any, plotly.js (the project's pinned
plotly.js-dist-min) is inlined once before </body> with a few lines that draw every placeholder, so
the page works offline and never embeds the 4.8 MB library once per chart.
"""

from __future__ import annotations

from pathlib import Path

from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
PLOTLY_JS = ROOT / "node_modules" / "plotly.js-dist-min" / "plotly.min.js"
PLACEHOLDER = 'class="mldp-plotly"'

DRAW = """
document.querySelectorAll('div.mldp-plotly[data-figure]').forEach(function (el) {
  try {
    var fig = JSON.parse(el.getAttribute('data-figure'));
    el.innerHTML = '';
    Plotly.newPlot(el, fig.data, fig.layout || {}, Object.assign({responsive: true}, fig.config || {}));
  } catch (e) { el.insertAdjacentText('beforeend', ' (plotly: ' + e + ')'); }
});
"""


def to_html(nb) -> str:
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    if PLACEHOLDER in body and PLOTLY_JS.exists():
        script = f"<script>{PLOTLY_JS.read_text(encoding='utf-8')}</script>\n<script>{DRAW}</script>\n"
        head, sep, tail = body.rpartition("</body>")
        body = head + script + sep + tail if sep else body + script
    return body
