import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { helperAvailable, startOnHelper, toShared } from "../../src/util/helper-thread";
import { _sortColumn, type SortedColumn } from "../../src/tabular/rank";
import { mulberry32 } from "../../src/util/prng";

const THIS = require.resolve("../helpers/thread-jobs");

function column(n: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  return Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : Math.round(rand() * 1e6) / 7));
}

describe("helper thread", () => {
  it("runs on a second thread on this 2-core machine", () => {
    assert.equal(helperAvailable(), true);
    const [value, onMain] = startOnHelper<[number, boolean]>(THIS, "_threadOf", [21]).result();
    assert.deepEqual([value, onMain], [42, false], "doubled on a worker thread");
  });

  it("runs a job while this thread works, and hands back typed arrays intact", () => {
    const start = Date.now();
    const pending = startOnHelper<[number, boolean]>(THIS, "_threadOf", [5]);
    while (Date.now() < start + 50); // this thread is busy; the helper runs meanwhile
    assert.deepEqual(pending.result(), [10, false]);
  });

  it("sorts the columns this thread has not claimed, exactly as here, ranks in shared memory", () => {
    const columns = [column(50_000, 1), column(50_000, 2), Float64Array.from({ length: 50_000 }, (_, i) => i % 13)].map(
      toShared,
    );
    const claimed = new Int32Array(new SharedArrayBuffer(4 * 4));
    claimed[3] = 2; // a fourth column, claimed by this thread: the helper leaves it
    const jobs = [...columns, columns[0]].map((c, k) =>
      startOnHelper<SortedColumn | null>(require.resolve("../../src/tabular/rank"), "_sortUnclaimed", [c, claimed, k]),
    );
    const there = jobs.map((j) => j.result());
    assert.equal(there[3], null, "a claimed column is not sorted there");
    assert.deepEqual(Array.from(claimed), [1, 1, 1, 2], "the helper claimed the others");
    columns.forEach((c, k) => {
      const here = _sortColumn(c);
      assert.deepEqual(there[k]!.sorted, here.sorted, `sorted ${k}`);
      assert.deepEqual(Array.from(there[k]!.ranks), Array.from(here.ranks), `ranks ${k}`);
      assert.ok(there[k]!.ranks.buffer instanceof SharedArrayBuffer, `ranks ${k} shared`);
    });
  });

  it("rethrows a job's error with its class name and message", () => {
    assert.throws(
      () => startOnHelper(THIS, "_fail", ["bad column"]).result(),
      (e: Error) => e instanceof RangeError && e.message === "bad column",
    );
  });

  it("reports a helper that exits mid-job at once, and runs later jobs on the calling thread", () => {
    // In a child process: the job ends the (process-wide) helper thread.
    const script = `
      const { helperAvailable, startOnHelper } = require(${JSON.stringify(path.resolve(__dirname, "../../src/util/helper-thread.js"))});
      const started = Date.now();
      let message = "";
      try { startOnHelper(${JSON.stringify(THIS)}, "_exit", [3]).result(); } catch (e) { message = e.message; }
      const seconds = (Date.now() - started) / 1000;
      setTimeout(() => {
        const r = startOnHelper(${JSON.stringify(THIS)}, "_threadOf", [4]).result();
        console.log(JSON.stringify({ message, fast: seconds < 5, available: helperAvailable(), r }));
      }, 50);`;
    const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 }));
    assert.deepEqual(out, {
      message: "helper thread exited (code 3) during job _exit",
      fast: true,
      available: false,
      r: [8, true],
    });
  });

  it("toShared copies a plain array once and returns a shared one as it is", () => {
    const plain = Float64Array.of(1, 2, 3);
    const shared = toShared(plain);
    assert.ok(shared.buffer instanceof SharedArrayBuffer);
    assert.deepEqual(Array.from(shared), [1, 2, 3]);
    assert.equal(toShared(shared), shared);
  });

  it("with MLDP_THREADS=1 runs every job on the calling thread, with the same results", () => {
    const script = `
      const { helperAvailable, startOnHelper } = require(${JSON.stringify(path.resolve(__dirname, "../../src/util/helper-thread.js"))});
      const r = startOnHelper(${JSON.stringify(THIS)}, "_threadOf", [3]).result();
      console.log(JSON.stringify({ available: helperAvailable(), r }));`;
    const out = JSON.parse(
      execFileSync(process.execPath, ["-e", script], { env: { ...process.env, MLDP_THREADS: "1" }, encoding: "utf8" }),
    );
    assert.deepEqual(out, { available: false, r: [6, true] });
  });
});
