import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { frameBundle, frameHtml } from "../../src/display/frame";
import { isPlotlyFigure, PLOTLY_MIME, plotlyBundle } from "../../src/util/plotly-bundle";
import { html, JUPYTER_DISPLAY } from "../../src/util/media-bundle";
import { displayLastExpression, isRich, toBundle } from "../../src/display/show";
import { encodeImage, imageBundle, imageGrid } from "../../src/display/image";

const XSS = "<img src=x onerror=alert(1)>";

describe("frameBundle", () => {
  it("renders a DataFrame as an HTML table with dtypes and shape plus polars' text table", () => {
    const df = pl.DataFrame({ plan: ["basic", "pro"], minutes: [120.5, 512.25], churned: [false, true] });
    const b = frameBundle(df);
    assert.deepEqual(Object.keys(b).sort(), ["text/html", "text/plain"]);
    const h = b["text/html"] as string;
    assert.match(h, /<th>plan<\/th><th>minutes<\/th><th>churned<\/th>/, "column header row");
    assert.match(h, /<em>String<\/em>.*<em>Float64<\/em>.*<em>Bool<\/em>/, "dtype header row");
    assert.match(h, /<td>120\.50<\/td>/, "floats share the column's decimals");
    assert.match(h, /<p>2 rows × 3 columns<\/p>/, "shape footer");
    assert.match(b["text/plain"], /shape: \(2, 3\)/);
  });

  it("escapes every value, so HTML in a cell shows as text", () => {
    const df = pl.DataFrame({ [XSS]: [XSS, "ok"] });
    const h = frameHtml(df);
    assert.ok(!h.includes("<img"), "no live <img> tag");
    assert.equal(
      h.split("&#60;img src=x onerror=alert(1)&#62;").length - 1,
      2,
      "the header and the value appear as text",
    );
  });

  it("shows head and tail of long frames with an ellipsis row, like pandas", () => {
    const df = pl.DataFrame({ i: Array.from({ length: 1000 }, (_, k) => k) });
    const h = frameHtml(df);
    const indexCells = [...h.matchAll(/<tr><th>(\d+|…)<\/th>/g)].map((m) => m[1]);
    assert.deepEqual(indexCells, ["0", "1", "2", "3", "4", "…", "995", "996", "997", "998", "999"]);
    assert.match(h, /1,000 rows × 1 columns/);
  });

  it("elides the middle columns of wide frames", () => {
    const cols: Record<string, number[]> = {};
    for (let c = 0; c < 30; c++) cols[`c${c}`] = [c];
    const h = frameHtml(pl.DataFrame(cols));
    assert.match(h, /<th>c9<\/th><th>…<\/th><th>c20<\/th>/);
    assert.ok(!h.includes("<th>c10</th>"));
  });

  it("renders a Series as a one-column table and nulls in grey", () => {
    const h = frameBundle(pl.Series("x", [1, null, 3]))["text/html"] as string;
    assert.match(h, /<th>x<\/th>/);
    assert.match(h, /<td style="color:#999">null<\/td>/);
  });
});

describe("plotlyBundle", () => {
  const fig = {
    data: [{ type: "bar", x: ["a", "b"], y: new Float64Array([1, NaN]) }],
    layout: { title: { text: "T" } },
  };

  it("sends the figure as an object with text and HTML fallbacks", () => {
    const b = plotlyBundle(fig);
    assert.deepEqual(Object.keys(b).sort(), [PLOTLY_MIME, "text/html", "text/plain"].sort());
    const json = b[PLOTLY_MIME] as { data: Array<{ y: unknown }> };
    assert.equal(typeof json, "object", "an object, not a string");
    assert.deepEqual(json.data[0].y, [1, null], "typed arrays become JSON arrays, NaN becomes null");
    assert.equal(b["text/plain"], 'Plotly figure "T": 1 trace (bar)');
    assert.match(
      b["text/html"] as string,
      /^<div class="mldp-plotly"><p><em>Plotly figure &#34;T&#34;: 1 trace \(bar\)\.<\/em>/,
    );
    assert.ok(
      !(b["text/html"] as string).includes("data-figure"),
      "the figure is not stored twice (the HTML export adds it)",
    );
    assert.ok(!(b["text/html"] as string).includes("<script"), "the fallback carries no script");
  });

  it("recognises figures and nothing else", () => {
    assert.equal(isPlotlyFigure(fig), true);
    assert.equal(isPlotlyFigure({ data: [] }), false);
    assert.equal(isPlotlyFigure({ data: [1, 2] }), false);
    assert.equal(isPlotlyFigure({ data: [{}], extra: 1 }), false);
  });
});

describe("images", () => {
  const rgb = { data: new Uint8Array(2 * 2 * 3).fill(200), width: 2, height: 2, channels: 3 as const };

  it("encodes raw pixels to PNG and keeps PNG/JPEG bytes as they are", async () => {
    const { mime, bytes } = await encodeImage(rgb);
    assert.equal(mime, "image/png");
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const b = await imageBundle(bytes);
    assert.equal(b["image/png"], bytes.toString("base64"));
    assert.equal(b["text/plain"], `<image/png, ${bytes.length} bytes>`);
    assert.deepEqual(Object.keys(toBundle(bytes)).sort(), ["image/png", "text/plain"]);
  });

  it("rejects bytes that are not an image and raw data of the wrong size", async () => {
    await assert.rejects(encodeImage(new Uint8Array([1, 2, 3])), /neither PNG nor JPEG/);
    await assert.rejects(
      encodeImage({ ...rgb, width: 3 }),
      /raw image has 12 bytes: expected width\*height\*channels = 3\*2\*3/,
    );
  });

  it("lays out a captioned grid with escaped captions", async () => {
    const grid = await imageGrid(
      [
        { image: rgb, caption: XSS },
        { image: rgb, caption: "frog" },
      ],
      { columns: 2, title: "frogs" },
    );
    const b = grid[JUPYTER_DISPLAY]();
    const h = b["text/html"] as string;
    assert.equal((h.match(/<img src="data:image\/png;base64,/g) ?? []).length, 2);
    assert.match(h, /grid-template-columns:repeat\(2, 168px\)/);
    assert.ok(!h.includes(XSS));
    assert.match(b["text/plain"], /^frogs: image grid, 2 images/);
  });
});

describe("toBundle", () => {
  it("picks the richest bundle for each kind of value", () => {
    const df = pl.DataFrame({ a: [1] });
    assert.ok(
      (toBundle(df)["text/html"] as string).startsWith('<div class="mldp-frame">'),
      "our table, not polars' own",
    );
    assert.deepEqual(Object.keys(toBundle(html("<b>x</b>"))).sort(), ["text/html", "text/plain"]);
    assert.ok(PLOTLY_MIME in toBundle({ data: [{ y: [1] }] }));
    assert.deepEqual(toBundle("plain"), { "text/plain": "plain" });
    const rec = toBundle({ node: "20.20.2", ok: true });
    assert.match(
      rec["text/html"] as string,
      /<th style="text-align:left">node<\/th><td style="text-align:left">20\.20\.2<\/td>/,
    );
    assert.equal(toBundle([1, 2])["text/plain"], "[ 1, 2 ]");
  });

  it("adds text/plain to a displayable bundle that lacks it", () => {
    const odd = { [JUPYTER_DISPLAY]: () => ({ "text/html": "<i>x</i>" }) as never };
    assert.equal(typeof toBundle(odd)["text/plain"], "string");
  });
});

describe("displayLastExpression", () => {
  it("leaves plain values to tslab's printer and takes rich ones", () => {
    const printed: unknown[] = [];
    displayLastExpression(42, (v) => printed.push(v));
    displayLastExpression({ a: 1 }, (v) => printed.push(v));
    assert.deepEqual(printed, [42, { a: 1 }]);
    assert.equal(isRich(pl.DataFrame({ a: [1] })), true);
    assert.equal(isRich({ data: [{ y: [1] }] }), true);
    assert.equal(isRich("text"), false);
  });
});
