import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { RandomState, numpyPermutation } from "../../src/util/numpy-random-state";
import { projectPath } from "../../src/util/paths";
import { reference } from "../helpers/reference";

// Expected values: test/fixtures/reference/random.json, made by make_random.py (numpy 2.4.6,
// np.random.RandomState / MT19937).
const NP = reference("random");
function sha256(values: Int32Array): string {
  // little-endian int32, like astype('<i4')
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return createHash("sha256").update(bytes).digest("hex");
}

describe("RandomState", () => {
  it("produces numpy's raw MT19937 outputs for seed 1024", () => {
    const rs = new RandomState(1024);
    const raw = Array.from({ length: 5 }, () => rs.nextUint32());
    assert.deepEqual(raw, NP.raw1024, "random_raw(5)");
  });

  it("produces numpy's random_sample doubles", () => {
    const rs = new RandomState(1024);
    assert.deepEqual([rs.random(), rs.random(), rs.random()], NP.randomSample1024, "random_sample(3)");
  });

  it("reproduces permutation(n) for small n and edge seeds", () => {
    const perms: Record<string, number[]> = NP.permutations; // "seed/n" -> permutation
    assert.deepEqual(Object.keys(perms), ["0/10", "1729/10", "42/10", "0/7", "4294967295/7"], "cases");
    for (const [key, expected] of Object.entries(perms)) {
      const [seed, n] = key.split("/").map(Number);
      assert.deepEqual(Array.from(new RandomState(seed).permutation(n)), expected, `seed ${seed}, n ${n}`);
    }
    assert.deepEqual(
      Array.from(new RandomState(0).permutation(1000).subarray(0, 5)),
      NP.seed0n1000head,
      "seed 0, n 1000",
    );
  });

  it("rejects seeds numpy rejects", () => {
    assert.throws(() => new RandomState(-1), RangeError, "negative seed");
    assert.throws(() => new RandomState(2 ** 32), RangeError, "seed above 2**32-1");
    assert.throws(() => new RandomState(1.5), RangeError, "fractional seed");
    assert.throws(() => new RandomState("1" as unknown as number), TypeError, "string seed");
  });

  it("shuffles 1,000,000 indices exactly like numpy", () => {
    const p = new RandomState(7).permutation(1_000_000);
    assert.deepEqual(Array.from(p.subarray(0, 5)), NP.seed7n1000000.head, "first indices");
    assert.equal(sha256(p), NP.seed7n1000000.sha256, "sha256 of the whole permutation");
  });
});

describe("numpyPermutation", () => {
  it("reproduces pandas sample(frac=1, random_state=1024) on 5,000 rows", () => {
    const p = numpyPermutation(5000, 1024);
    assert.deepEqual(Array.from(p.subarray(0, 20)), NP.seed1024n5000.head, "first 20 indices");
    assert.deepEqual(Array.from(p.subarray(0, 5)), [340, 3961, 561, 3623, 2427], "the five workshop A.6 shows");
    assert.deepEqual(Array.from(p.subarray(4995)), NP.seed1024n5000.tail, "last 5 indices");
    assert.equal(sha256(p), NP.seed1024n5000.sha256, "sha256 of the whole permutation");
  });
});

describe("RandomState.choice", () => {
  // numpy runs in this test run: np.random.seed(s); np.random.choice(a, k, replace=False).
  const PYTHON = projectPath(".venv", "bin", "python");
  const numpy = (script: string): any => {
    if (!fs.existsSync(PYTHON)) {
      throw new Error(`python is missing: ${PYTHON} (expected the project env with numpy; run \`npm test\` once)`);
    }
    return JSON.parse(execFileSync(PYTHON, ["-c", `import json, numpy as np\n${script}`], { encoding: "utf8" }));
  };
  const CASES: [seed: number, n: number, k: number][] = [
    [0, 10, 3],
    [0, 1000, 250],
    [0, 1030, 250],
    [1, 250, 250],
    [42, 5000, 250],
    [1024, 7, 1],
    [4294967295, 300, 299],
    [7, 5, 0],
    [0, 70000, 250],
  ];

  it("draws numpy's np.random.choice(n, k, replace=False) for several (seed, n, k)", () => {
    const expected: number[][] = numpy(
      `print(json.dumps([np.random.RandomState(s).choice(n, k, replace=False).tolist() for s, n, k in ${JSON.stringify(CASES)}]))`,
    );
    CASES.forEach(([seed, n, k], c) => {
      const got = new RandomState(seed).choice(n, k, { replace: false });
      assert.ok(got instanceof Int32Array, "an index array");
      assert.deepEqual(Array.from(got), expected[c], `seed ${seed}, n ${n}, k ${k}`);
    });
    assert.deepEqual(Array.from(new RandomState(0).choice(10, 3, { replace: false })), [2, 8, 4], "seed 0, 3 of 10");
  });

  it("returns the chosen items of an array population, like a[idx]", () => {
    const ids = Array.from({ length: 1200 }, (_, i) => 100000 + i * 37);
    const expected: number[] = numpy(
      `np.random.seed(0)\nprint(json.dumps(np.random.choice(${JSON.stringify(ids)}, 250, replace=False).tolist()))`,
    );
    const got = new RandomState(0).choice(ids, 250, { replace: false });
    assert.deepEqual(got, expected, "choice(ids, 250)");
    assert.equal(new Set(got).size, 250, "no repeats");
  });

  it("continues one stream across calls like the workshop's draws (10 categories, then 250 frogs)", () => {
    // Category subsets of COCO-like sizes in id order, then the frog indices of a batch.
    const sizes = [3301, 3895, 4385, 2941, 1485, 1509, 1839, 861, 1324, 2147];
    const frogs = Array.from({ length: 1030 }, (_, i) => i * 9 + 3);
    const expected: number[][] = numpy(
      [
        "np.random.seed(0)",
        `out = [np.random.choice(np.arange(n) * 3 + 1, 250, replace=False).tolist() for n in ${JSON.stringify(sizes)}]`,
        `out.append(np.random.choice(np.array(${JSON.stringify(frogs)}), 250, replace=False).tolist())`,
        "print(json.dumps(out))",
      ].join("\n"),
    );
    const rs = new RandomState(0);
    const got = sizes.map((n) =>
      rs.choice(
        Array.from({ length: n }, (_, i) => i * 3 + 1),
        250,
        { replace: false },
      ),
    );
    got.push(rs.choice(frogs, 250, { replace: false }));
    got.forEach((draw, c) => assert.deepEqual(draw, expected[c], c < sizes.length ? `category ${c}` : "frogs"));
  });

  it("rejects what numpy rejects, and replace: true", () => {
    const rs = new RandomState(0);
    assert.throws(() => rs.choice(5, 6, { replace: false }), /larger sample than the population: 6 of 5/);
    assert.throws(() => rs.choice([], 1, { replace: false }), /population is empty/);
    assert.throws(() => rs.choice(5, -1, { replace: false }), RangeError, "negative size");
    assert.throws(() => rs.choice(5, 2, { replace: true } as unknown as { replace: false }), /only replace: false/);
    assert.deepEqual(Array.from(rs.choice(0, 0, { replace: false })), [], "0 of 0 is allowed, as in numpy");
  });
});
