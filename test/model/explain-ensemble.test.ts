import assert from "node:assert/strict";
import type { Matrix } from "../../src/util/matrix";
import { explainEnsemble } from "../../src/model/explain-ensemble";
import { fitLeaderboard, type LeaderboardPart } from "../../src/model/leaderboard";
import type { BinaryClassifier } from "../../src/model/estimator";
import { JUPYTER_DISPLAY } from "../../src/util/media-bundle";

/** A "model" that predicts column `j` of X, so each test decides every model's probabilities. */
class ColumnModel implements BinaryClassifier {
  constructor(
    readonly name: string,
    private readonly j: number,
  ) {}
  fit(): this {
    return this;
  }
  predictProba(X: Matrix): Float64Array {
    return Float64Array.from({ length: X.nRows }, (_, r) => X.data[r * X.nCols + this.j]);
  }
}

/** One part (train = validation = test) whose columns are the models' probabilities. */
function part(y: number[], ...columns: number[][]): LeaderboardPart {
  const data = new Float64Array(y.length * columns.length);
  y.forEach((_, r) => columns.forEach((c, j) => (data[r * columns.length + j] = c[r])));
  return { X: { data, nRows: y.length, nCols: columns.length }, y };
}

describe("explainEnsemble", () => {
  it("says the ensemble is one model when no blend beats it on validation", () => {
    const y = [0, 0, 0, 1, 1, 1];
    const p = part(y, [0.1, 0.2, 0.3, 0.7, 0.8, 0.9], [0.6, 0.2, 0.3, 0.1, 0.8, 0.9]);
    const board = fitLeaderboard({ train: p, validation: p, test: p }, [
      new ColumnModel("Good", 0),
      new ColumnModel("Noisy", 1),
    ]);
    const e = explainEnsemble(board, p);
    assert.equal(e.singleModel, true);
    assert.deepEqual(e.weights, { Good: 1 });
    assert.deepEqual(e.best, { model: "Good", score: 1 });
    assert.equal(e.blends.length, 1);
    assert.equal(e.blends[0].model, "Noisy");
    assert.ok(e.blends[0].score <= 1, `best Good:Noisy blend ${e.blends[0].score}`);
    assert.match(e.text, /^WeightedEnsemble_L2 is Good alone \(weight 1\): .* in 25 rounds no addition did\./);
    assert.match(e.text, /k parts Good to 1, scored: Noisy 1\.00000 \(\d+:1\)\./);
    assert.equal(e[JUPYTER_DISPLAY]()["text/plain"], e.text);
  });

  it("says which models are blended when their average ranks better than either", () => {
    // Each model misorders one pair; their average orders every pair.
    const y = [0, 0, 1, 1];
    const p = part(y, [0.1, 0.6, 0.5, 0.9], [0.6, 0.1, 0.9, 0.5]);
    const board = fitLeaderboard({ train: p, validation: p, test: p }, [
      new ColumnModel("A", 0),
      new ColumnModel("B", 1),
    ]);
    const e = explainEnsemble(board, p);
    assert.equal(e.singleModel, false);
    assert.deepEqual(e.weights, { A: 0.5, B: 0.5 });
    assert.equal(e.score, 1, "the 1:1 average orders every pair");
    assert.deepEqual(e.best, { model: "A", score: 0.75 });
    assert.match(
      e.text,
      /blends 2 models \(A 0\.5, B 0\.5\): on validation it scores roc_auc 1\.00000, against 0\.75000/,
    );
  });

  it("needs a leaderboard with an ensemble", () => {
    const y = [0, 1];
    const p = part(y, [0.2, 0.8]);
    const board = fitLeaderboard({ train: p, validation: p, test: p }, [new ColumnModel("A", 0)], { ensemble: false });
    assert.throws(() => explainEnsemble(board, p), /leaderboard has no fitted ensemble/);
  });
});
