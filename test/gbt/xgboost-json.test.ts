import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Booster, type BoosterParams } from "../../src/gbt/train";
import { matrix, type Matrix } from "../../src/util/matrix";
import { predict } from "../../src/gbt/predict";
import { loadXGBoostJSON, modelUpToBest, saveXGBoostJSON, xgboostJSONText } from "../../src/gbt/xgboost-json";
import { FormatError } from "../../src/util/errors";
import { churnSplit, readF64, runPython, tempDir, WORKSHOP_PARAMS, writeF64 } from "./helpers";

interface Case {
  name: string;
  params: BoosterParams;
  X: Matrix;
  y: ArrayLike<number>;
  Xt: Matrix;
}

/** Small synthetic data with missing values: y depends on x0, x1 (and NaN in x2). */
function smallCase(kind: "reg" | "multi"): { X: Matrix; y: number[] } {
  const n = 300;
  const data = new Float64Array(n * 3);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.sin(i * 1.7) * 3;
    const b = Math.cos(i * 0.37) * 2;
    data.set([a, b, i % 7 === 0 ? NaN : (i * 0.13) % 5], i * 3);
    y.push(kind === "reg" ? 2 * a - b + (i % 7 === 0 ? 3 : 0) : a > 1 ? 2 : b > 0 ? 1 : 0);
  }
  return { X: matrix(data, n, 3), y };
}

function cases(): Case[] {
  const { train, test } = churnSplit();
  // Missing values in the churn data exercise default directions: every 9th "Day Mins" blanked.
  const withNaN = (m: Matrix): Matrix => {
    const data = Float64Array.from(m.data);
    for (let r = 0; r < m.nRows; r += 9) data[r * m.nCols + 2] = NaN;
    return { ...m, data };
  };
  const reg = smallCase("reg");
  const multi = smallCase("multi");
  return [
    {
      name: "churn",
      params: { ...WORKSHOP_PARAMS, objective: "binary:logistic" },
      X: withNaN(train.X),
      y: train.y,
      Xt: withNaN(test.X),
    },
    {
      name: "reg",
      params: { objective: "reg:squarederror", max_depth: 3, num_round: 20 },
      X: reg.X,
      y: reg.y,
      Xt: reg.X,
    },
    {
      name: "multi",
      params: { objective: "multi:softprob", num_class: 3, max_depth: 3, num_round: 10 },
      X: multi.X,
      y: multi.y,
      Xt: multi.X,
    },
  ];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, "prediction lengths");
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("saveXGBoostJSON / loadXGBoostJSON", () => {
  const dir = tempDir();
  const all = cases();
  const ours = new Map<string, Float32Array>();
  before(() => {
    // Train here and save; write inputs for Python, which trains its own models and predicts both ways.
    for (const c of all) {
      const bst = new Booster({ ...c.params, seed: 1 }).fit(c.X, c.y);
      saveXGBoostJSON(bst.getModel(), path.join(dir, `ours-${c.name}.json`));
      ours.set(c.name, bst.predict(c.Xt));
      writeF64(dir, `${c.name}-X.bin`, c.X.data);
      writeF64(dir, `${c.name}-y.bin`, c.y);
      writeF64(dir, `${c.name}-Xt.bin`, c.Xt.data);
    }
    const spec = all.map((c) => ({
      name: c.name,
      cols: c.X.nCols,
      params: { ...c.params, num_round: undefined, tree_method: "hist", nthread: 1, seed: 1 },
      rounds: c.params.num_round,
    }));
    runPython(
      dir,
      `
for c in json.loads(${JSON.stringify(JSON.stringify(spec))}):
    n, cols = c['name'], c['cols']
    params = {k: v for k, v in c['params'].items() if v is not None}
    Xt = xgb.DMatrix(ld(n + '-Xt.bin', cols))
    b = xgb.train(params, xgb.DMatrix(ld(n + '-X.bin', cols), label=ld(n + '-y.bin', 0)), c['rounds'])
    b.save_model('py-' + n + '.json')
    b.predict(Xt).astype(np.float64).tofile('py-' + n + '-p.bin')
    mine = xgb.Booster(model_file='ours-' + n + '.json')
    mine.feature_names = None
    mine.predict(Xt).astype(np.float64).tofile('ours-' + n + '-p-in-py.bin')`,
    );
  });

  for (const name of ["churn", "reg", "multi"]) {
    it(`writes a ${name} model that Python xgboost loads and predicts the same (<= 1e-6)`, () => {
      const d = maxAbsDiff(ours.get(name) as Float32Array, readF64(dir, `ours-${name}-p-in-py.bin`));
      assert.ok(d <= 1e-6, `max |ours - xgboost(ours.json)| = ${d} (expected <= 1e-6)`);
    });

    it(`loads a ${name} model trained by Python xgboost and predicts the same (<= 1e-6)`, () => {
      const c = all.find((x) => x.name === name) as Case;
      const model = loadXGBoostJSON(path.join(dir, `py-${name}.json`));
      const d = maxAbsDiff(predict(model, c.Xt), readF64(dir, `py-${name}-p.bin`));
      assert.ok(d <= 1e-6, `max |ours(py.json) - xgboost| = ${d} (expected <= 1e-6)`);
      assert.equal(model.trees.length, (c.params.num_round as number) * model.numGroup, "one tree per class per round");
    });
  }

  it("writes XGBoost's required structure: version triple, learner, gbtree, trees as arrays", () => {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, "ours-multi.json"), "utf8"));
    assert.deepEqual(doc.version, [3, 2, 0], "version triple");
    assert.equal(doc.learner.gradient_booster.name, "gbtree", "booster name");
    assert.equal(doc.learner.objective.name, "multi:softprob", "objective name");
    assert.equal(doc.learner.learner_model_param.num_class, "3", "scalar params are strings");
    assert.match(
      doc.learner.learner_model_param.base_score,
      /^\[[-0-9.E]+(,[-0-9.E]+){2}\]$/,
      "base_score vector string",
    );
    const t = doc.learner.gradient_booster.model.trees[0];
    for (const key of [
      "left_children",
      "right_children",
      "parents",
      "split_indices",
      "split_conditions",
      "default_left",
      "base_weights",
      "sum_hessian",
      "loss_changes",
      "split_type",
    ]) {
      assert.ok(
        Array.isArray(t[key]) && t[key].length === Number(t.tree_param.num_nodes),
        `trees[0].${key} is an array of num_nodes`,
      );
    }
    assert.deepEqual(
      doc.learner.gradient_booster.model.tree_info.slice(0, 4),
      [0, 1, 2, 0],
      "tree_info cycles classes",
    );
  });

  it("round-trips: load(save(model)) saves the same text and predicts the same", () => {
    const c = all[0];
    const file = path.join(dir, "ours-churn.json");
    const model = loadXGBoostJSON(file);
    assert.equal(xgboostJSONText(model), fs.readFileSync(file, "utf8"), "same JSON text");
    assert.deepEqual(predict(model, c.Xt), ours.get("churn"), "same predictions");
  });

  it("throws a FormatError naming the file for a file that is not JSON", () => {
    const file = path.join(dir, "corrupt.json");
    fs.writeFileSync(file, '{"learner": {"attributes"');
    assert.throws(
      () => loadXGBoostJSON(file),
      (e: Error) => e instanceof FormatError && e.message.includes(file) && /not JSON/.test(e.message),
    );
  });

  it("throws a FormatError naming the file and the field for a wrong-format model", () => {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, "py-reg.json"), "utf8"));
    delete doc.learner.gradient_booster.model.trees[2].split_conditions;
    const file = path.join(dir, "broken.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    assert.throws(
      () => loadXGBoostJSON(file),
      (e: Error) =>
        e instanceof FormatError &&
        e.message.includes("learner.gradient_booster.model.trees[2].split_conditions is missing") &&
        e.message.includes(file),
      "names field and file",
    );
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: [3, 2, 0],
        learner: {
          learner_model_param: { num_feature: "3", base_score: "[5E-1]" },
          objective: { name: "rank:pairwise" },
        },
      }),
    );
    assert.throws(
      () => loadXGBoostJSON(file),
      /XGBoost model field learner\.objective\.name is unsupported: "rank:pairwise"/,
    );
  });
});

/** A noisy binary problem on which validation AUC peaks early: y = [x0 + 0.5 x1 + 2 noise > 0]. */
function noisyBinary(n: number, seed: number): { X: Matrix; y: number[] } {
  let state = seed;
  const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const data = new Float64Array(n * 4);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [rand(), rand(), rand(), rand()];
    data.set(row, i * 4);
    y.push(row[0] + 0.5 * row[1] + 2 * rand() > 0 ? 1 : 0);
  }
  return { X: matrix(data, n, 4), y };
}

describe("saveXGBoostJSON after early stopping", () => {
  const dir = tempDir();
  const train = noisyBinary(800, 11);
  const valid = noisyBinary(200, 12);
  const test = noisyBinary(300, 13);
  const bst = new Booster({ objective: "binary:logistic", max_depth: 4, eta: 0.3, num_round: 200, seed: 0 }).fit(
    train.X,
    train.y,
    { evalSet: [valid.X, valid.y], early_stopping_rounds: 10, eval_metric: "auc" },
  );
  const model = bst.getModel();
  const best = model.bestIteration as number;
  let python: { rounds: number[]; best: Float64Array; all: Float64Array; allRange: Float64Array };

  before(() => {
    saveXGBoostJSON(model, path.join(dir, "best.json"));
    saveXGBoostJSON(model, path.join(dir, "all.json"), { trees: "all" });
    writeF64(dir, "Xt.bin", test.X.data);
    // The usual Python way: load the file and predict with default arguments.
    const out = runPython(
      dir,
      `
Xt = xgb.DMatrix(ld('Xt.bin', 4))
rounds = []
for name in ['best', 'all']:
    b = xgb.Booster()
    b.load_model(name + '.json')
    rounds.append(b.num_boosted_rounds())
    b.predict(Xt).astype(np.float64).tofile(name + '-p.bin')
b.predict(Xt, iteration_range=(0, ${best + 1})).astype(np.float64).tofile('all-range-p.bin')
print(json.dumps(rounds))`,
    );
    python = {
      rounds: JSON.parse(out),
      best: readF64(dir, "best-p.bin"),
      all: readF64(dir, "all-p.bin"),
      allRange: readF64(dir, "all-range-p.bin"),
    };
  });

  it("trains a model that keeps more trees than best_iteration + 1 (the case to get right)", () => {
    assert.ok(best >= 1 && model.trees.length > best + 1, `best ${best}, trees ${model.trees.length}`);
    assert.equal(model.trees.length, best + 11, "ten rounds past the best before stopping");
  });

  it("saves the trees up to the best round: xgboost.Booster.predict with default arguments gives our probabilities", () => {
    assert.deepEqual(python.rounds, [best + 1, model.trees.length], "boosted rounds in best.json and all.json");
    const ours = bst.predict(test.X);
    const d = maxAbsDiff(ours, python.best);
    assert.ok(d <= 1e-6, `max |ours - xgboost(best.json).predict(X)| = ${d} (expected <= 1e-6)`);
    // With every tree saved, Python's default differs; only iteration_range recovers ours.
    assert.ok(maxAbsDiff(ours, python.all) > 1e-3, "all trees: the default predict differs");
    assert.ok(maxAbsDiff(ours, python.allRange) <= 1e-6, "all trees: iteration_range=(0, best + 1) matches");
  });

  it("loads back the same probabilities and writes the same text, as booster[: best + 1] would", () => {
    const loaded = loadXGBoostJSON(path.join(dir, "best.json"));
    assert.equal(loaded.trees.length, best + 1, "best + 1 trees");
    assert.equal(loaded.bestIteration, undefined, "no best_iteration: every saved tree is used");
    assert.deepEqual(predict(loaded, test.X), bst.predict(test.X), "same predictions");
    assert.equal(xgboostJSONText(loaded), fs.readFileSync(path.join(dir, "best.json"), "utf8"), "same JSON text");
    assert.equal(loadXGBoostJSON(path.join(dir, "all.json")).bestIteration, best, "all.json keeps best_iteration");
    assert.equal(modelUpToBest(loaded), loaded, "a model without early stopping is returned as it is");
    assert.throws(() => xgboostJSONText(model, { trees: "first" as "all" }), RangeError);
  });
});
