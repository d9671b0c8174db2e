/**
 * The fuzzer behind fuzz.test.ts, which runs each target in a worker thread so that a hang is caught.
 * Seeded fuzzing of the three file loaders users feed their own files: readTable (CSV), loadPreparation
 * (+ applyPreparation) and loadXGBoostJSON (+ predict). Each input is a real file mutated: bytes flipped
 * or set to structural bytes, truncated, a range duplicated or deleted, fields or lines swapped, JSON
 * values replaced, deleted or swapped. Every input must either load (and then work) or raise a
 * DataPrepError naming the file: never a TypeError, RangeError or other crash. The seeds are fixed, so a
 * failure reproduces; the failing input is kept in the temp folder named in the message.
 *
 * Inputs: test/fixtures/read-table/churn-120.csv (the header and first 120 rows of the workshop's
 * churn.txt, CRLF line ends as in the original), a preparation fitted on it, and
 * test/fixtures/gbt/churn-binary.json (an XGBoost 3.2 model, see make_fixtures.py).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { matrix } from "../../src/util/matrix";
import { predict } from "../../src/gbt/predict";
import { loadXGBoostJSON } from "../../src/gbt/xgboost-json";
import { readTable } from "../../src/tabular/read-table";
import { applyPreparation, fitPreparation, loadPreparation } from "../../src/tabular/preparation";
import { DataPrepError } from "../../src/util/errors";
import { mulberry32 } from "../../src/util/prng";

const FIXTURES = path.resolve(__dirname, "../../../test/fixtures");
const CSV = fs.readFileSync(path.join(FIXTURES, "read-table", "churn-120.csv"));
/** churn-binary.json cut to its first 8 trees (xgboost's own layout otherwise), so each mutation parses fast. */
const MODEL = (() => {
  const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, "gbt", "churn-binary.json"), "utf8"));
  const m = doc.learner.gradient_booster.model;
  m.trees = m.trees.slice(0, 8);
  m.tree_info = m.tree_info.slice(0, 8);
  m.iteration_indptr = m.iteration_indptr.slice(0, 9);
  m.gbtree_model_param.num_trees = "8";
  doc.learner.attributes = { best_iteration: "5", best_score: "0.93" };
  return Buffer.from(JSON.stringify(doc));
})();

/** Bytes that change structure: NUL, quote, separators, line ends, JSON punctuation, UTF-8 lead/continuation bytes. */
const SPECIAL = [
  0x00, 0x22, 0x2c, 0x3b, 0x09, 0x0a, 0x0d, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2d, 0x2e, 0x65, 0x39, 0x20, 0xc3, 0x80,
  0xff,
];

/** Shared with the test thread: the index of the input being loaded. */
let PROGRESS: SharedArrayBuffer = new SharedArrayBuffer(4);

/** Deeper runs: FUZZ_SCALE=20 FUZZ_SEED=7 npx mocha ... multiplies the inputs and shifts the seeds. */
const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1) || 1);
const SEED = Number(process.env.FUZZ_SEED ?? 0) || 0;

type Rand = () => number;
const int = (rand: Rand, n: number) => Math.floor(rand() * n);

/** One random byte-level mutation of `u`, with a description. */
function mutateBytes(u: Buffer, rand: Rand): [Buffer, string] {
  const n = u.length;
  const at = int(rand, n);
  switch (int(rand, 7)) {
    case 0: {
      const out = Buffer.from(u);
      const k = 1 + int(rand, 4);
      for (let i = 0; i < k; i++) out[int(rand, n)] ^= 1 << int(rand, 8);
      return [out, `flip ${k} bits`];
    }
    case 1: {
      const out = Buffer.from(u);
      const b = SPECIAL[int(rand, SPECIAL.length)];
      out[at] = b;
      return [out, `set byte ${at} to 0x${b.toString(16)}`];
    }
    case 2:
      return [u.subarray(0, at), `truncate at ${at}`];
    case 3: {
      const len = 1 + int(rand, 200);
      const to = int(rand, n);
      return [
        Buffer.concat([u.subarray(0, to), u.subarray(at, at + len), u.subarray(to)]),
        `duplicate ${at}+${len} at ${to}`,
      ];
    }
    case 4: {
      const len = 1 + int(rand, 200);
      return [Buffer.concat([u.subarray(0, at), u.subarray(at + len)]), `delete ${at}+${len}`];
    }
    case 5: {
      const b = Buffer.from([SPECIAL[int(rand, SPECIAL.length)]]);
      return [Buffer.concat([u.subarray(0, at), b, u.subarray(at)]), `insert 0x${b[0].toString(16)} at ${at}`];
    }
    default: {
      // Swap two lines (the header included).
      const lines = u.toString("latin1").split("\n");
      const [a, b] = [int(rand, lines.length), int(rand, lines.length)];
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return [Buffer.from(lines.join("\n"), "latin1"), `swap lines ${a} and ${b}`];
    }
  }
}

/** Swap two fields of one CSV line, or two header names. */
function swapFields(u: Buffer, rand: Rand): [Buffer, string] {
  const lines = u.toString("utf8").split("\r\n");
  const row = int(rand, Math.min(lines.length, 20));
  const fields = lines[row].split(",");
  const [a, b] = [int(rand, fields.length), int(rand, fields.length)];
  [fields[a], fields[b]] = [fields[b], fields[a]];
  lines[row] = fields.join(",");
  return [Buffer.from(lines.join("\r\n")), `swap fields ${a} and ${b} of line ${row + 1}`];
}

const ODD_VALUES: unknown[] = [
  null,
  true,
  false,
  -1,
  0,
  1,
  2.5,
  1e308,
  -1e308,
  "",
  "x",
  "-1",
  "1e400",
  "NaN",
  [],
  {},
  [1, 2, 3],
  ["a"],
  { a: 1 },
];

/** Every [container, key] of a parsed JSON value, depth-first. */
function slots(v: unknown, out: Array<[Record<string, unknown> | unknown[], string | number]> = []) {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), slots(x, out)));
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      out.push([v as Record<string, unknown>, k]);
      slots(x, out);
    }
  return out;
}

/** One structural mutation of a JSON document: a value replaced or deleted, two swapped, an array cut or grown. */
function mutateJSON(u: Buffer, rand: Rand): [Buffer, string] {
  const text = u.toString();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return mutateBytes(u, rand); // an earlier mutation broke the JSON
  }
  const all = slots(doc);
  const [box, key] = all[int(rand, all.length)];
  const get = (b: typeof box, k: typeof key) => (b as Record<string | number, unknown>)[k];
  const set = (b: typeof box, k: typeof key, v: unknown) => ((b as Record<string | number, unknown>)[k] = v);
  let what: string;
  switch (int(rand, 5)) {
    case 0: {
      const v = ODD_VALUES[int(rand, ODD_VALUES.length)];
      set(box, key, structuredClone(v));
      what = `set ${key} to ${JSON.stringify(v)}`;
      break;
    }
    case 1:
      if (Array.isArray(box)) box.splice(Number(key), 1);
      else delete box[key as string];
      what = `delete ${key}`;
      break;
    case 2: {
      const [box2, key2] = all[int(rand, all.length)];
      const v = get(box, key);
      set(box, key, get(box2, key2));
      set(box2, key2, v);
      what = `swap ${key} and ${key2}`;
      break;
    }
    case 3: {
      const v = get(box, key);
      if (Array.isArray(v)) v.length = int(rand, v.length + 1);
      what = `cut array ${key}`;
      break;
    }
    default: {
      const v = get(box, key);
      if (Array.isArray(v) && v.length) v.push(structuredClone(v[int(rand, v.length)]));
      what = `grow array ${key}`;
    }
  }
  // Values swapped into their own subtree make a cycle: such a document has no JSON text.
  try {
    return [Buffer.from(JSON.stringify(doc)), what];
  } catch {
    return [Buffer.from(text), `${what} (cyclic, unchanged)`];
  }
}

export interface Failure {
  input: string;
  mutation: string;
  error: string;
}

/**
 * Feed `count` mutations of `original` to `load` (seeded by `seed`); return the inputs whose error is
 * not a DataPrepError naming the file. Kept inputs are written to `dir`.
 */
function fuzz(
  dir: string,
  name: string,
  original: Buffer,
  count: number,
  seed: number,
  mutate: (u: Buffer, rand: Rand) => [Buffer, string],
  load: (file: string) => void,
): { failures: Failure[]; loaded: number; rejected: number } {
  const rand = mulberry32(seed + SEED * 1000);
  count *= SCALE;
  const failures: Failure[] = [];
  const progress = new Int32Array(PROGRESS);
  let loaded = 0;
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    // One to three mutations stacked.
    let input = original;
    const steps: string[] = [];
    for (let k = 1 + int(rand, 3); k > 0; k--) {
      const [next, what] = mutate(input, rand);
      if (next.length === 0) break;
      input = next;
      steps.push(what);
    }
    const file = path.join(dir, `${i}-${name}`);
    fs.writeFileSync(file, input);
    Atomics.store(progress, 0, i); // the watchdog names this input if it never returns
    try {
      load(file);
      loaded++;
      fs.rmSync(file);
    } catch (e) {
      const err = e as Error;
      if (err instanceof DataPrepError && err.message.includes(path.basename(file))) {
        rejected++;
        fs.rmSync(file);
      } else failures.push({ input: file, mutation: steps.join("; "), error: `${err?.name}: ${err?.message}` });
    }
  }
  return { failures, loaded, rejected };
}

export function report(failures: Failure[]): string {
  return failures
    .slice(0, 8)
    .map((f) => `${f.input} (${f.mutation}): ${f.error.slice(0, 300)}`)
    .join("\n");
}

/** What one fuzz target found. */
export interface FuzzResult {
  failures: Failure[];
  loaded: number;
  rejected: number;
  /** Preparations applied to rows after loading (target "preparation"). */
  applied: number;
}

/** The three targets: the CSV reader, the preparation loader (+ apply), the XGBoost JSON loader (+ predict). */
export const TARGETS = {
  /** readTable on 600 mutated CSVs. */
  csv(dir: string): FuzzResult {
    const mutate = (u: Buffer, rand: Rand) => (rand() < 0.2 ? swapFields(u, rand) : mutateBytes(u, rand));
    const r = fuzz(dir, "churn.csv", CSV, 600, 9, mutate, (file) => {
      // With the label checks or without (a mutated label column is a SchemaError, not a crash).
      readTable(file, Number(path.basename(file).split("-")[0]) % 2 ? { label: null } : { positive: "True." });
    });
    return { ...r, applied: 0 };
  },

  /** loadPreparation on 1,500 mutated preparations; the first 40 that load are applied to rows (~70 ms each). */
  preparation(dir: string): FuzzResult {
    const { df } = readTable(path.join(FIXTURES, "read-table", "churn-120.csv"));
    const prep = fitPreparation(df, {
      label: "Churn?",
      positive: "True.",
      drop: ["State", "Area Code", "Phone"],
      oneHot: ["Int'l Plan", "VMail Plan"],
      categorical: ["Account Length"],
      dropFirst: true,
    });
    const text = JSON.stringify(prep, null, 2);
    const mutate = (u: Buffer, rand: Rand) => (rand() < 0.6 ? mutateJSON(u, rand) : mutateBytes(u, rand));
    let applied = 0;
    const r = fuzz(dir, "preparation.json", Buffer.from(text), 1500, 10, mutate, (file) => {
      const loaded = loadPreparation(file);
      if (applied >= 40 * SCALE) return;
      applied++;
      try {
        applyPreparation(loaded, df.head(20));
      } catch (e) {
        // A preparation that loads but does not fit the frame: a DataPrepError, named as coming from that file.
        if (e instanceof DataPrepError) throw new DataPrepError(`${e.message} (preparation ${file})`);
        throw e;
      }
    });
    return { ...r, applied };
  },

  /** loadXGBoostJSON + predict on 1,500 mutated models. */
  model(dir: string): FuzzResult {
    const X = matrix(
      Float64Array.from({ length: 40 * 19 }, (_, i) => ((i * 7919) % 113) / 7 - 3),
      40,
      19,
    );
    const mutate = (u: Buffer, rand: Rand) => (rand() < 0.6 ? mutateJSON(u, rand) : mutateBytes(u, rand));
    const r = fuzz(dir, "model.json", MODEL, 1500, 11, mutate, (file) => {
      const model = loadXGBoostJSON(file);
      try {
        predict(model, X); // a model with another feature count is a DataPrepError here
      } catch (e) {
        if (e instanceof DataPrepError) throw new DataPrepError(`${e.message} (model ${file})`);
        throw e;
      }
    });
    return { ...r, applied: 0 };
  },
};

export type TargetName = keyof typeof TARGETS;

// In a worker: run the target named in workerData and post its result.
if (!isMainThread && workerData?.fuzzTarget) {
  const { fuzzTarget, dir, progress } = workerData as {
    fuzzTarget: TargetName;
    dir: string;
    progress: SharedArrayBuffer;
  };
  PROGRESS = progress;
  parentPort!.postMessage(TARGETS[fuzzTarget](dir));
}
