import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { helperAvailable, parallelMap, startOnHelper, toShared } from "../../src/util/helper-thread";
import { _sortColumn, sortColumns } from "../../src/tabular/rank";
import { mulberry32 } from "../../src/util/prng";

const RANK = require.resolve("../../src/tabular/rank");
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

  it("parallelMap returns every item's result in item order, from both threads", () => {
    const items = Array.from({ length: 400 }, (_, i) => i);
    const busy = () => {
      const until = Date.now() + 100; // long enough for the helper to take items meanwhile
      while (Date.now() < until);
      return "done here";
    };
    const { results, meanwhile } = parallelMap<number, [number, boolean], string>(THIS, "_threadOf", items, [], busy);
    assert.equal(meanwhile, "done here");
    assert.deepEqual(results.map((r) => r[0]), items.map((i) => i * 2), "values in order");
    assert.ok(results.some((r) => !r[1]), "the helper took some items");
  });

  it("sortColumns gives exactly what sorting each column on this thread gives, ranks shared", () => {
    const columns = [column(50_000, 1), column(50_000, 2), Float64Array.from({ length: 50_000 }, (_, i) => i % 13), column(10, 3)];
    const parallel = sortColumns(columns);
    columns.forEach((c, k) => {
      const serial = _sortColumn(c);
      assert.deepEqual(parallel[k].sorted, serial.sorted, `sorted ${k}`);
      assert.deepEqual(Array.from(parallel[k].ranks), Array.from(serial.ranks), `ranks ${k}`);
      assert.ok(parallel[k].ranks.buffer instanceof SharedArrayBuffer, `ranks ${k} shared`);
    });
  });

  it("rethrows a job's error with its class name and message", () => {
    assert.throws(() => startOnHelper(THIS, "_fail", ["bad column"]).result(), (e: Error) => e.name === "RangeError" && e.message === "bad column");
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
      const { helperAvailable, parallelMap } = require(${JSON.stringify(path.resolve(__dirname, "../../src/util/helper-thread.js"))});
      const { sortColumns } = require(${JSON.stringify(RANK)});
      const r = parallelMap(${JSON.stringify(THIS)}, "_threadOf", [1, 2, 3]).results;
      const s = sortColumns([Float64Array.of(3, NaN, 1, 3)])[0];
      console.log(JSON.stringify({ available: helperAvailable(), r, ranks: Array.from(s.ranks) }));`;
    const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { env: { ...process.env, MLDP_THREADS: "1" }, encoding: "utf8" }));
    assert.deepEqual(out, { available: false, r: [[2, true], [4, true], [6, true]], ranks: [2.5, null, 1, 2.5] });
  });
});
