/**
 * Seeded fuzzing of the three file loaders users feed their own files (test/tabular/fuzz-cases.ts):
 * readTable (CSV), loadPreparation (+ applyPreparation) and loadXGBoostJSON (+ predict), each on
 * mutations of a real file. Every input must either load (and then work) or raise a DataPrepError naming
 * the file: never a TypeError, RangeError or other crash, and never a hang (each target runs in a worker
 * thread; a watchdog stops it and names the input when one input runs for 30 s). About 5 s in all;
 * `FUZZ_SCALE=20 FUZZ_SEED=7` runs deeper.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { loadXGBoostJSON } from "../../src/gbt/xgboost-json";
import { readTable } from "../../src/tabular/read-table";
import { applyPreparation, fitPreparation, loadPreparation } from "../../src/tabular/preparation";
import { DataPrepError, FormatError, SchemaError } from "../../src/util/errors";
import { report, type FuzzResult, type TargetName } from "./fuzz-cases";

const FIXTURES = path.resolve(__dirname, "../../../test/fixtures");
/** Longest one input may take before the watchdog calls it a hang. */
const HANG_MS = 30_000;

/** Run one target in a worker; reject naming the input when one input does not return within HANG_MS. */
function runTarget(target: TargetName, dir: string): Promise<FuzzResult> {
  const progress = new SharedArrayBuffer(4);
  const index = new Int32Array(progress);
  Atomics.store(index, 0, -1);
  const worker = new Worker(path.join(__dirname, "fuzz-cases.js"), {
    workerData: { fuzzTarget: target, dir, progress },
  });
  return new Promise((resolve, reject) => {
    let last = -1;
    let since = Date.now();
    const watchdog = setInterval(() => {
      const now = Atomics.load(index, 0);
      if (now !== last) [last, since] = [now, Date.now()];
      else if (now >= 0 && Date.now() - since > HANG_MS) {
        clearInterval(watchdog);
        void worker.terminate();
        reject(new Error(`${target}: input ${now} did not return within ${HANG_MS} ms (a hang): ${dir}/${now}-*`));
      }
    }, 250);
    worker.once("message", (r: FuzzResult) => {
      clearInterval(watchdog);
      void worker.terminate();
      resolve(r);
    });
    worker.once("error", (e) => {
      clearInterval(watchdog);
      reject(e);
    });
  });
}

describe("fuzzing the file loaders (seeded)", function () {
  this.timeout(600_000);
  let dir = "";
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-fuzz-"));
  });

  it("readTable loads or names the file in a DataPrepError on 600 mutated CSVs", async () => {
    const r = await runTarget("csv", dir);
    assert.deepEqual(r.failures.length, 0, `crashes:\n${report(r.failures)}`);
    assert.ok(r.loaded > 30 && r.rejected > 200, `loaded ${r.loaded}, rejected ${r.rejected}`);
  });

  it("loadPreparation + applyPreparation load and apply, or name the file, on 1,500 mutated preparations", async () => {
    const r = await runTarget("preparation", dir);
    assert.deepEqual(r.failures.length, 0, `crashes:\n${report(r.failures)}`);
    assert.ok(r.loaded > 100 && r.rejected > 500, `loaded ${r.loaded}, rejected ${r.rejected}`);
    assert.ok(r.applied >= 40, `${r.applied} loaded preparations applied to rows`);
  });

  it("loadXGBoostJSON + predict load and predict, or name the file, on 1,500 mutated models", async () => {
    const r = await runTarget("model", dir);
    assert.deepEqual(r.failures.length, 0, `crashes:\n${report(r.failures)}`);
    assert.ok(r.loaded > 100 && r.rejected > 300, `loaded ${r.loaded}, rejected ${r.rejected}`);
  });
});

describe("inputs the fuzzer found crashing, now rejected with the file named", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-fuzz-found-"));
  const { df } = readTable(path.join(FIXTURES, "read-table", "churn-120.csv"));
  const prep = fitPreparation(df, {
    label: "Churn?",
    positive: "True.",
    oneHot: ["Int'l Plan"],
    categorical: ["Area Code"],
  });
  const saved = (name: string, edit: (p: Record<string, unknown>) => void) => {
    const copy = structuredClone(prep) as unknown as Record<string, unknown>;
    edit(copy);
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(copy));
    return file;
  };
  const rejects = (file: string, kind: new (...a: never[]) => Error, parts: string[]) =>
    assert.throws(
      () => applyPreparation(loadPreparation(file), df),
      (e: Error) => e instanceof kind && parts.every((p) => e.message.includes(p)),
      `${path.basename(file)}: ${parts.join(", ")}`,
    );

  it("a preparation naming a column that is not an input column, or naming one twice", () => {
    const categorical = saved("cat-twice.json", (p) => (p.categorical = ["Area Code", "Area Code"]));
    rejects(categorical, FormatError, ["categorical has a duplicate name", "cat-twice.json"]);
    const oneHot = saved("onehot-stray.json", (p) => ((p.oneHot as { column: string }[])[0].column = "Eve Cal ls"));
    rejects(oneHot, FormatError, ['"Eve Cal ls"', "onehot-stray.json"]);
    const dtype = saved("dtype-stray.json", (p) => ((p.dtypes as Record<string, string>)["NaN"] = "Float64"));
    rejects(dtype, FormatError, ['"NaN"', "not an input column", "dtype-stray.json"]);
  });

  it("a preparation whose output columns no step makes", () => {
    const file = saved("columns.json", (p) => ((p.columns as string[])[3] = "Float64"));
    rejects(file, SchemaError, ['preparation output column is missing: "Float64"']);
  });

  it("a model file that is not there", () => {
    assert.throws(
      () => loadXGBoostJSON(path.join(dir, "none.json")),
      (e: Error) => e instanceof DataPrepError && /not found: .*none\.json/.test(e.message),
    );
  });
});
