import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { codeCells, readNotebook, runNotebooks, text } from "../helpers/notebooks";
import { projectPath } from "../../src/util/paths";
import { PLOTLY_MIME } from "../../src/util/plotly-bundle";

describe("notebook 00_environment_check", () => {
  let outDir = "";
  let stdout = "";

  before(() => {
    const r = runNotebooks([projectPath("notebooks", "00_environment_check.ipynb")]);
    assert.equal(r.status, 0, `runner failed: ${r.stderr}`);
    outDir = r.outDir;
    stdout = r.stdout;
  });

  it("runs every cell and writes the executed .ipynb and .html", () => {
    assert.match(stdout, /^00_environment_check\s+8\/8\s+cells\s+[\d.]+ s\s+ok$/m);
    assert.ok(fs.existsSync(path.join(outDir, "00_environment_check.ipynb")));
    const html = fs.readFileSync(path.join(outDir, "00_environment_check.html"), "utf8");
    assert.equal(html.split("<script>/**\n* plotly.js").length - 1 <= 1, true, "plotly.js is inlined at most once");
    assert.match(
      html,
      /<div class="mldp-plotly" data-figure='\{"data": \[\{"type": "bar", "x": \["basic", "plus", "pro", "max"\]/,
      "the export fills the placeholder with the figure",
    );
  });

  it("shows a table, a chart, images, a progress bar and the versions, each with its MIME type", () => {
    const cells = codeCells(readNotebook(path.join(outDir, "00_environment_check.ipynb")));
    const [imports, frame, chart, grid, single, bar, versions] = cells.map((c) => c.outputs ?? []);
    const mimes = (outputs: typeof frame) =>
      outputs.map((o) =>
        Object.keys(o.data ?? {})
          .sort()
          .join("+"),
      );
    assert.deepEqual(mimes(grid), ["text/html+text/plain"], "image grid: one HTML output");
    assert.equal(
      (text(grid[0].data!["text/html"] as string[]).match(/<img src="data:image\/png;base64,/g) ?? []).length,
      4,
    );
    assert.deepEqual(mimes(single), ["image/png+text/plain"], "a single image is image/png");
    assert.deepEqual(
      mimes(bar),
      ["text/html+text/plain"],
      "the progress bar is ONE output, updated in place (display_id)",
    );
    assert.match(text(bar[0].data!["text/plain"] as string[]), /^steps: \|█+\| 100% 20\/20 \[/);
    assert.deepEqual(imports, [], "the import cell prints nothing");
    assert.equal(frame.length, 1);
    assert.deepEqual(Object.keys(frame[0].data!).sort(), ["text/html", "text/plain"]);
    assert.match(text(frame[0].data!["text/html"] as string[]), /<p>4 rows × 3 columns<\/p>/);
    assert.deepEqual(Object.keys(chart[0].data!).sort(), [PLOTLY_MIME, "text/html", "text/plain"].sort());
    const fig = chart[0].data![PLOTLY_MIME] as { data: Array<{ type: string; x: string[]; y: number[] }> };
    assert.deepEqual(fig.data[0], { type: "bar", x: ["basic", "plus", "pro", "max"], y: [120.5, 310.25, 512, 275.75] });
    const table = text(versions[0].data!["text/html"] as string[]);
    assert.match(table, /nodejsPolars<\/th><td style="text-align:left">0\.25\.2</);
    assert.match(table, /tslab<\/th><td style="text-align:left">1\.0\.22</);
    assert.match(table, /tslabTypeScript<\/th><td style="text-align:left">5\.0\.4</);
    assert.match(table, /jupyterlab<\/th><td style="text-align:left">4\.\d+\.\d+</);
  });

  it("ends with the workshop's environment next to this one", () => {
    const cells = codeCells(readNotebook(path.join(outDir, "00_environment_check.ipynb")));
    const html = text(cells[cells.length - 1].outputs![0].data!["text/html"] as string[]);
    assert.match(html, /class="mldp-workshop-comparison"/);
    assert.match(
      html,
      /pandas-profiling 2\.11\.0<\/td><td style="text-align:left">profileReport, preset &#34;pandas-profiling-2\.11&#34;/,
    );
    assert.match(html, /nodejs-polars 0\.25\.2/, "the measured version");
  });

  it("has no stderr or error output anywhere", () => {
    for (const cell of codeCells(readNotebook(path.join(outDir, "00_environment_check.ipynb")))) {
      for (const o of cell.outputs ?? []) {
        assert.notEqual(o.output_type, "error");
        assert.ok(!(o.output_type === "stream" && o.name === "stderr"), "no stderr");
      }
    }
  });
});
