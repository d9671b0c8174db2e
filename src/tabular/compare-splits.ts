/**
 * Do train, validation and test look alike? Per column: PSI (population stability index) of
 * validation and test against train — numerics binned at train's deciles, categories as they are —
 * and the two-sample KS statistic for numerics; categories never seen in train; rows present in two
 * splits (whole-row hash); the label rate per split. Alerts use the usual PSI thresholds:
 * > 0.1 moderate shift, > 0.25 major shift.
 *
 * Glossary: PSI = Σ (aᵢ − eᵢ)·ln(aᵢ / eᵢ) over bins, e = train share, a = other share (each floored
 * at 1e-4 so an empty bin stays finite); KS = max |F_train(x) − F_other(x)|.
 */
import pl from "nodejs-polars";
import type { DataFrame, Series } from "nodejs-polars";
import { escapeHtml, JUPYTER_DISPLAY, MediaBundle } from "../util/media-bundle";
import { SchemaError } from "../util/errors";

export type SplitName = "train" | "validation" | "test";
type Other = "validation" | "test";
const OTHERS: readonly Other[] = ["validation", "test"];
const EPS = 1e-4;

export interface CompareSplitsOptions {
  /** Label column: left out of drift, its mean (the positive rate of a 0/1 label) reported per split. Default: none. */
  label?: string;
  /** Train-quantile bins for numeric PSI. Default: 10 (deciles). */
  bins?: number;
  /** PSI above this is a moderate shift. Default: 0.1. */
  moderate?: number;
  /** PSI above this is a major shift. Default: 0.25. */
  major?: number;
}

/** Drift of one column of validation and test against train. */
export interface ColumnDrift {
  column: string;
  kind: "numeric" | "categorical";
  psi: Record<Other, number>;
  /** KS statistic (numerics only). */
  ks: Record<Other, number> | null;
  /** Categories (as text) found in validation/test but not in train. */
  unseen: Record<Other, string[]>;
  level: "none" | "moderate" | "major";
}

/** A finding worth acting on, with a hint. */
export interface SplitAlert {
  code: "PSI_MAJOR" | "PSI_MODERATE" | "UNSEEN_CATEGORY" | "ROW_OVERLAP";
  column?: string;
  split: string;
  value: number;
  hint: string;
}

/** Quantile of sorted values with numpy's default linear interpolation. */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
}

/** Index of the first element ≥ x (so bins are right-closed: x ≤ edge falls below it). */
function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > x. */
function upperBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** PSI of two count vectors over the same bins. */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  let ne = 0,
    na = 0;
  for (let i = 0; i < expected.length; i++) {
    ne += expected[i];
    na += actual[i];
  }
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i] / ne, EPS),
      a = Math.max(actual[i] / na, EPS);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** Two-sample Kolmogorov–Smirnov statistic of sorted samples. */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (const x of [a, b]) {
    for (let i = 0; i < x.length; i++) {
      d = Math.max(d, Math.abs(upperBound(a, x[i]) / a.length - upperBound(b, x[i]) / b.length));
    }
  }
  return d;
}

function numbers(s: Series): { sorted: Float64Array; nulls: number } {
  const values = s.cast(pl.Float64).toArray() as (number | null)[];
  const kept = values.filter((v): v is number => v !== null && !Number.isNaN(v));
  return { sorted: Float64Array.from(kept).sort(), nulls: values.length - kept.length };
}

function numericDrift(train: Series, other: Series, bins: number): { psi: number; ks: number } {
  const t = numbers(train),
    o = numbers(other);
  const edges = [...new Set(Array.from({ length: bins - 1 }, (_, k) => quantile(t.sorted, (k + 1) / bins)))];
  const count = (x: { sorted: Float64Array; nulls: number }) => {
    const c = new Float64Array(edges.length + 2);
    for (const v of x.sorted) c[lowerBound(edges, v)]++;
    c[edges.length + 1] = x.nulls; // a bin for missing values
    return c;
  };
  return {
    psi: psi(count(t), count(o)),
    ks: t.sorted.length && o.sorted.length ? ksStatistic(t.sorted, o.sorted) : NaN,
  };
}

function categoryCounts(s: Series): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of s.toArray() as unknown[]) {
    const key = v === null || v === undefined ? "null" : String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function categoricalDrift(train: Series, other: Series): { psi: number; unseen: string[] } {
  const t = categoryCounts(train),
    o = categoryCounts(other);
  const keys = [...new Set([...t.keys(), ...o.keys()])];
  const unseen = [...o.keys()].filter((k) => !t.has(k)).sort();
  return {
    psi: psi(
      keys.map((k) => t.get(k) ?? 0),
      keys.map((k) => o.get(k) ?? 0),
    ),
    unseen,
  };
}

function rowHashes(df: DataFrame): BigUint64Array {
  return BigUint64Array.from(df.hashRows(0, 1, 2, 3).toArray() as bigint[]);
}

function countShared(a: BigUint64Array, b: BigUint64Array): number {
  const seen = new Set(a);
  let n = 0;
  for (const h of b) if (seen.has(h)) n++;
  return n;
}

const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(4));

/** The result of {@link compareSplits}; shows itself as a table with alerts highlighted. */
export class SplitComparison {
  constructor(
    readonly rows: Record<SplitName, number>,
    readonly columns: ColumnDrift[],
    readonly overlap: { trainValidation: number; trainTest: number; validationTest: number },
    readonly labelRate: Record<SplitName, number> | null,
    readonly alerts: SplitAlert[],
  ) {}

  /** A one-paragraph summary plus one line per column. */
  toString(): string {
    const head = [
      `rows: train ${this.rows.train}, validation ${this.rows.validation}, test ${this.rows.test}`,
      this.labelRate
        ? `label rate: train ${fmt(this.labelRate.train)}, validation ${fmt(this.labelRate.validation)}, test ${fmt(this.labelRate.test)}`
        : "",
      `rows in two splits: train–validation ${this.overlap.trainValidation}, train–test ${this.overlap.trainTest}, validation–test ${this.overlap.validationTest}`,
      `alerts: ${this.alerts.length}`,
    ].filter(Boolean);
    const lines = this.columns.map((c) =>
      [
        c.column.padEnd(24),
        c.kind.padEnd(11),
        `PSI ${fmt(c.psi.validation)} ${fmt(c.psi.test)}`,
        `KS ${fmt(c.ks?.validation)} ${fmt(c.ks?.test)}`,
        c.level === "none" ? "" : c.level.toUpperCase(),
      ]
        .join("  ")
        .trimEnd(),
    );
    return [...head, "", ...lines].join("\n");
  }

  [JUPYTER_DISPLAY](): MediaBundle {
    const style = { none: "", moderate: ' style="background:#fff3cd"', major: ' style="background:#f8d7da"' };
    const body = this.columns
      .map((c) => {
        const unseen = c.unseen.validation.length + c.unseen.test.length;
        const cells = [
          c.column,
          c.kind,
          fmt(c.psi.validation),
          fmt(c.psi.test),
          fmt(c.ks?.validation),
          fmt(c.ks?.test),
          String(unseen),
          c.level,
        ];
        return `<tr${style[c.level]}>${cells.map((v) => `<td>${escapeHtml(v)}</td>`).join("")}</tr>`;
      })
      .join("\n");
    const summary = this.toString()
      .split("\n\n")[0]
      .split("\n")
      .map((l) => `<li>${escapeHtml(l)}</li>`)
      .join("");
    const header = [
      "column",
      "kind",
      "PSI validation",
      "PSI test",
      "KS validation",
      "KS test",
      "unseen categories",
      "shift",
    ]
      .map((h) => `<th>${escapeHtml(h)}</th>`)
      .join("");
    const markup = `<div class="mldp-compare-splits"><ul>${summary}</ul><table><thead><tr>${header}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
    return { "text/html": markup, "text/plain": this.toString() };
  }
}

/**
 * Compare validation and test against train: drift per column, unseen categories, shared rows, label rates.
 * @example compareSplits(train, validation, test, { label: "Churn?" }).alerts
 */
export function compareSplits(
  train: DataFrame,
  validation: DataFrame,
  test: DataFrame,
  options: CompareSplitsOptions = {},
): SplitComparison {
  const { label, bins = 10, moderate = 0.1, major = 0.25 } = options;
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`bins is invalid: ${bins} (expected an integer ≥ 2)`);
  const frames = { train, validation, test };
  for (const name of OTHERS) {
    const missing = train.columns.find((c) => !frames[name].columns.includes(c));
    if (missing !== undefined)
      throw new SchemaError(
        `column is missing from the ${name} split: ${JSON.stringify(missing)} (expected the train columns)`,
      );
  }
  if (label !== undefined && !train.columns.includes(label))
    throw new SchemaError(`label column is missing: ${JSON.stringify(label)} (expected a train column)`);
  // Align validation/test to train's columns and dtypes so values and row hashes compare like for like.
  const aligned = (df: DataFrame) => {
    const differ = train.columns.filter((c) => !df.getColumn(c).dtype.equals(train.getColumn(c).dtype));
    const same = df.select(...train.columns);
    return differ.length ? same.withColumns(...differ.map((c) => pl.col(c).cast(train.getColumn(c).dtype))) : same;
  };
  const others = { validation: aligned(validation), test: aligned(test) };
  const alerts: SplitAlert[] = [];
  const columns: ColumnDrift[] = [];
  for (const column of train.columns.filter((c) => c !== label)) {
    const t = train.getColumn(column);
    const numeric = t.isNumeric();
    const drift: ColumnDrift = {
      column,
      kind: numeric ? "numeric" : "categorical",
      psi: { validation: 0, test: 0 },
      ks: numeric ? { validation: 0, test: 0 } : null,
      unseen: { validation: [], test: [] },
      level: "none",
    };
    for (const name of OTHERS) {
      const o = others[name].getColumn(column);
      if (numeric) {
        const d = numericDrift(t, o, bins);
        drift.psi[name] = d.psi;
        drift.ks![name] = d.ks;
      } else {
        const d = categoricalDrift(t, o);
        drift.psi[name] = d.psi;
        drift.unseen[name] = d.unseen;
        if (d.unseen.length)
          alerts.push({
            code: "UNSEEN_CATEGORY",
            column,
            split: name,
            value: d.unseen.length,
            hint: `${d.unseen.length} categories of ${JSON.stringify(column)} never occur in train (e.g. ${JSON.stringify(d.unseen[0])}); encode with unseen: "ignore" or drop the column`,
          });
      }
      const p = drift.psi[name];
      if (p > moderate) {
        const isMajor = p > major;
        if (isMajor) drift.level = "major";
        else if (drift.level === "none") drift.level = "moderate";
        alerts.push({
          code: isMajor ? "PSI_MAJOR" : "PSI_MODERATE",
          column,
          split: name,
          value: p,
          hint: `${name} ${JSON.stringify(column)} differs from train (PSI ${p.toFixed(3)} > ${isMajor ? major : moderate}); reshuffle, stratify, or check the source`,
        });
      }
    }
    columns.push(drift);
  }
  const h = { train: rowHashes(train), validation: rowHashes(others.validation), test: rowHashes(others.test) };
  const overlap = {
    trainValidation: countShared(h.train, h.validation),
    trainTest: countShared(h.train, h.test),
    validationTest: countShared(h.validation, h.test),
  };
  for (const [pair, n] of Object.entries(overlap)) {
    if (n > 0)
      alerts.push({
        code: "ROW_OVERLAP",
        split: pair,
        value: n,
        hint: `${n} rows appear in two splits (${pair}); deduplicate before splitting to avoid leakage`,
      });
  }
  let labelRate: Record<SplitName, number> | null = null;
  if (label !== undefined) {
    const rate = (df: DataFrame) => {
      const s = df.getColumn(label);
      if (!s.isNumeric())
        throw new SchemaError(
          `label is not numeric: column ${JSON.stringify(label)} is ${s.dtype.variant} (expected 0/1; use labelToBinary first)`,
        );
      return s.cast(pl.Float64).mean() as number;
    };
    labelRate = { train: rate(train), validation: rate(others.validation), test: rate(others.test) };
  }
  return new SplitComparison(
    { train: train.height, validation: validation.height, test: test.height },
    columns,
    overlap,
    labelRate,
    alerts,
  );
}
