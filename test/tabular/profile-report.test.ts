import assert from "node:assert/strict";
import fs from "node:fs";
import pl from "nodejs-polars";
import { JUPYTER_DISPLAY, isDisplayable } from "../../src/util/media-bundle";
import { isPlotlyFigure, PLOTLY_MIME } from "../../src/util/plotly-bundle";
import { profileReport } from "../../src/tabular/profile-report";
import { CHURN } from "../helpers/data";

/** mulberry32, a seeded 32-bit PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A churn-shaped frame of `n` rows (16 numeric, 5 string columns), drawn from typed arrays and polars expressions. */
function churnLike(n: number, seed: number): pl.DataFrame {
  const rnd = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const f = (g: () => number) => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = g();
    return a;
  };
  const int = (g: () => number) => {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = g();
    return a;
  };
  const dayMins = f(() => Math.abs(5.5 + 3.4 * normal()));
  const raw = pl.DataFrame([
    pl.Series(
      "s",
      int(() => Math.floor(rnd() * 51)),
    ),
    pl.Series(
      "Account Length",
      int(() => 1 + Math.floor(rnd() * 200)),
    ),
    pl.Series(
      "Area Code",
      int(() => 657 + 10 * Math.floor(rnd() * 23)),
    ),
    pl.Series(
      "p",
      int(() => Math.floor(rnd() * 1e7)),
    ),
    pl.Series("u1", f(rnd)),
    pl.Series("u2", f(rnd)),
    pl.Series(
      "VMail Message",
      int(() => (rnd() < 0.51 ? 0 : 100 * (1 + Math.floor(rnd() * 13)))),
    ),
    pl.Series("Day Mins", dayMins),
    pl.Series(
      "Day Calls",
      int(() => Math.floor(rnd() * 11)),
    ),
    pl.Series(
      "Day Charge",
      f(() => Math.abs(5 + 2.2 * normal())),
    ),
    pl.Series(
      "Eve Mins",
      f(() => Math.abs(5 + 2.1 * normal())),
    ),
    pl.Series(
      "Eve Calls",
      int(() => Math.floor(rnd() * 15)),
    ),
    pl.Series(
      "Eve Charge",
      Float64Array.from(dayMins, (d) => 0.7 * d + 2 * rnd()),
    ),
    pl.Series(
      "Night Mins",
      f(() => Math.abs(4 + 1.6 * normal())),
    ),
    pl.Series(
      "Night Calls",
      int(() => 50 * Math.floor(rnd() * 12)),
    ),
    pl.Series(
      "Night Charge",
      f(() => Math.abs(5 + 1.7 * normal())),
    ),
    pl.Series(
      "Intl Mins",
      f(() => 5 + normal()),
    ),
    pl.Series(
      "Intl Calls",
      int(() => Math.floor(rnd() * 13)),
    ),
    pl.Series(
      "Intl Charge",
      f(() => Math.abs(4.3 + 2.4 * normal())),
    ),
    pl.Series(
      "CustServ Calls",
      int(() => Math.floor(rnd() * 14)),
    ),
    pl.Series(
      "u3",
      Float64Array.from(dayMins, (d) => (d / 17 + rnd()) / 2),
    ),
  ]);
  const yesNo = (c: string) => pl.when(pl.col(c).lt(0.5)).then(pl.lit("yes")).otherwise(pl.lit("no"));
  return raw.select(
    pl.concatString([pl.lit("S"), pl.col("s").cast(pl.Utf8)], "").alias("State"),
    pl.col("Account Length"),
    pl.col("Area Code"),
    pl.col("p").cast(pl.Utf8).str.zFill(7).alias("Phone"),
    yesNo("u1").alias("Int'l Plan"),
    yesNo("u2").alias("VMail Plan"),
    ...[
      "VMail Message",
      "Day Mins",
      "Day Calls",
      "Day Charge",
      "Eve Mins",
      "Eve Calls",
      "Eve Charge",
      "Night Mins",
      "Night Calls",
      "Night Charge",
      "Intl Mins",
      "Intl Calls",
      "Intl Charge",
      "CustServ Calls",
    ].map((c) => pl.col(c)),
    pl.when(pl.col("u3").gt(0.5)).then(pl.lit("True.")).otherwise(pl.lit("False.")).alias("Churn?"),
  );
}

const bundleOf = (x: unknown) => {
  assert.ok(isDisplayable(x), "displayable");
  return (x as { [JUPYTER_DISPLAY](): Record<string, unknown> })[JUPYTER_DISPLAY]();
};

describe("ProfileReport", () => {
  const churn = pl.readCSV(fs.readFileSync(CHURN));
  const report = profileReport(churn, { preset: "pandas-profiling-2.11", label: "Churn?" });

  it("renders the overview", () => {
    const b = bundleOf(report.overview());
    assert.match(b["text/plain"] as string, /Rows\s+5,000/, "rows");
    assert.match(b["text/plain"] as string, /Duplicate rows\s+0 \(0\.0%\)/, "duplicates");
    assert.match(b["text/html"] as string, /numeric 16, categorical 3, boolean 2/, "kinds");
  });

  it("renders the 15 alerts with hints", () => {
    const b = bundleOf(report.alerts());
    assert.equal(((b["text/html"] as string).match(/<tr>/g) ?? []).length, 16, "header + 15 rows");
    assert.match(b["text/html"] as string, /HIGH_CARDINALITY/, "codes");
    assert.match(b["text/plain"] as string, /^Alerts \(15\)/, "title");
  });

  it("renders the per-column table", () => {
    const html = bundleOf(report.columns())["text/html"] as string;
    assert.equal((html.match(/<tr>/g) ?? []).length, 22, "header + 21 columns");
    assert.match(
      html,
      /<td>Day Mins<\/td><td>numeric<\/td><td>5,000<\/td><td>0<\/td><td>5,000<\/td><td>0<\/td><td>5.5188<\/td>/,
      "Day Mins row",
    );
  });

  it("escapes every value in HTML", () => {
    const df = pl.DataFrame({ "<b>&\"x'": ["<script>", "a&b", "<script>", "q"], n: [1, 2, 3, 4] });
    const r = profileReport(df);
    for (const part of [r.overview(), r.alerts(), r.columns()]) {
      const html = bundleOf(part)["text/html"] as string;
      assert.ok(!html.includes("<script>") && !html.includes("<b>"), "no raw markup from the data");
    }
    assert.match(bundleOf(r.columns())["text/html"] as string, /&#60;b&#62;&#38;&#34;x&#39;/, "escaped column name");
  });

  it("draws histograms as bar traces of bin counts", () => {
    const fig = report.histogramsFigure({ bins: 10 });
    assert.ok(isPlotlyFigure(fig), "plain {data, layout}");
    assert.equal(fig.data.length, 16, "one trace per numeric column");
    for (const t of fig.data) {
      assert.equal(t.type, "bar", "bar trace");
      assert.equal(
        (t.y as number[]).reduce((a, b) => a + b, 0),
        5000,
        `counts of ${String(t.name)} sum to the rows`,
      );
    }
    assert.equal(bundleOf(fig)[PLOTLY_MIME] !== undefined, true, "shows as plotly");
  });

  it("draws histograms by label with the label rate on a secondary axis", () => {
    const fig = report.histogramsByLabelFigure("Churn?", { bins: 10 });
    const bars = fig.data.filter((t) => t.type === "bar");
    const lines = fig.data.filter((t) => t.type === "scatter");
    assert.equal(bars.length, 32, "two label values × 16 columns");
    assert.equal(lines.length, 16, "one rate line per column");
    assert.equal(
      (fig.layout!.yaxis17 as Record<string, unknown>).overlaying,
      "y1",
      "secondary axis of the first subplot",
    );
    const day = fig.data.filter((t) => t.xaxis === "x4" && t.type === "bar");
    const rate = fig.data.find((t) => t.xaxis === "x4" && t.type === "scatter")!.y as (number | null)[];
    const yTrue = day.find((t) => t.name === "True.")!.y as number[];
    const yFalse = day.find((t) => t.name === "False.")!.y as number[];
    rate.forEach(
      (r, b) => r !== null && assert.ok(Math.abs(r - yTrue[b] / (yTrue[b] + yFalse[b])) < 1e-5, `rate bin ${b}`),
    );
    assert.throws(() => report.histogramsByLabelFigure("nope"), /missing/, "unknown label");
  });

  it("draws an annotated correlation heatmap", () => {
    const fig = report.correlationsFigure({ method: "spearman" });
    assert.equal(fig.data[0].type, "heatmap", "heatmap");
    assert.equal((fig.layout!.annotations as unknown[]).length, 17 * 17, "one annotation per cell");
    assert.throws(() => profileReport(churn, { correlations: false }).correlationsFigure(), RangeError, "no matrices");
  });

  it("keeps every output of a 1,000,000-row report under 2 MB", function () {
    this.timeout(300000);
    const df = churnLike(1_000_000, 7);
    const r = profileReport(df, { label: "Churn?" });
    assert.equal(r.profile.rows, 1_000_000, "rows");
    assert.equal(r.profile.kinds.numeric, 16, "numeric columns");
    const outputs = [
      r.overview(),
      r.alerts(),
      r.columns(),
      r.histogramsFigure({ bins: 30 }),
      r.histogramsByLabelFigure("Churn?", { bins: 30 }),
      r.correlationsFigure(),
      r.correlationsFigure({ method: "spearman" }),
      r.correlationsFigure({ method: "cramers" }),
    ];
    const bytes = outputs.reduce((sum, o) => sum + Buffer.byteLength(JSON.stringify(bundleOf(o))), 0);
    assert.ok(bytes < 2 * 2 ** 20, `report outputs total ${bytes} bytes`);
  });
});
