/**
 * The classifier head of transfer learning by feature extraction: softmax regression or a small MLP
 * (one ReLU hidden layer) on a backbone's embeddings, trained in TypeScript. The workshop's heads were
 * `Dense(11, softmax)` on ResNet50's pooled features (B.4) and `Linear(512, 11)` on ResNet18's (B.6).
 *
 * Training: embeddings standardised with the training rows' mean and standard deviation; mini-batch
 * Adam on cross-entropy plus `alpha/2 · ‖W‖²` (weights, not biases); rows shuffled each epoch by a
 * seeded mulberry32; after each epoch the loss and accuracy of the training and validation rows are
 * measured and passed to `onEpoch`; early stopping on validation accuracy (ties broken by the lower
 * validation loss) keeps the best epoch's weights and stops after `early_stopping_rounds` epochs
 * without improvement. Same data, same seed: the same weights, bit for bit.
 * Saved and loaded as JSON by head-json.ts.
 */
import { NotFittedError, SchemaError } from "../util/errors";
import { mulberry32, shuffleInPlace } from "../util/prng";
import type { Backbone } from "./backbone";
import type { RgbImage } from "./transforms";

/** Hyperparameters of {@link ClassifierHead}. */
export interface HeadParams {
  /** "softmax" (softmax regression) or "mlp" (one ReLU hidden layer). Default "softmax". */
  kind?: "softmax" | "mlp";
  /** Units of the MLP's hidden layer. Default 128. */
  hidden?: number;
  /** Most epochs to train. Default 50. */
  epochs?: number;
  /** Rows per Adam step. Default 64. */
  batch_size?: number;
  /** Adam's step size. Default 0.001. */
  learning_rate?: number;
  /** L2 penalty on the weights (sklearn's `alpha`). Default 0.001. */
  alpha?: number;
  /** Stop after this many epochs without a better validation accuracy; 0 never stops early. Default 10. */
  early_stopping_rounds?: number;
  /** Seed of the initial weights and the shuffles. Default 0. */
  seed?: number;
}

/** One epoch of training. */
export interface EpochLog {
  /** 1-based. */
  epoch: number;
  loss: number;
  accuracy: number;
  /** NaN without validation rows. */
  valLoss: number;
  valAccuracy: number;
  seconds: number;
}

/** Options of {@link ClassifierHead.fit}. */
export interface HeadFitOptions {
  /** Validation embeddings (row-major, same dim) and labels, for early stopping. */
  valX?: Float32Array;
  valY?: ArrayLike<number>;
  /** Class names in label order; their count is the number of classes. Default "0".."max label". */
  classNames?: readonly string[];
  /** The backbone that made the embeddings, recorded in the saved head. */
  backbone?: Pick<Backbone, "name" | "dim" | "fingerprint">;
  /** Called after every epoch with its log and the history so far (live curves). */
  onEpoch?: (log: EpochLog, history: readonly EpochLog[]) => void;
}

/** A dense layer: `out × in` weights, row-major, and `out` biases. */
export interface DenseLayer {
  in: number;
  out: number;
  weights: Float32Array;
  bias: Float32Array;
}

const DEFAULTS: Required<HeadParams> = {
  kind: "softmax",
  hidden: 128,
  epochs: 50,
  batch_size: 64,
  learning_rate: 0.001,
  alpha: 0.001,
  early_stopping_rounds: 10,
  seed: 0,
};

/**
 * A classifier on embeddings, scikit-learn style: the constructor stores hyperparameters, `fit` learns
 * (`layers_`, `mean_`, `scale_`, `classNames_`, `history_`, `bestEpoch_`), `predict`/`predictProba` use it.
 * @example
 * const head = new ClassifierHead({ epochs: 30, seed: 0 }).fit(trainX, trainY, { valX, valY, classNames });
 * head.predict(testX)
 */
export class ClassifierHead {
  readonly params: Required<HeadParams>;
  layers_?: DenseLayer[];
  mean_?: Float32Array;
  scale_?: Float32Array;
  classNames_?: string[];
  history_: EpochLog[] = [];
  /** The epoch whose weights were kept (1-based). */
  bestEpoch_ = 0;
  backbone_?: { name: string; dim: number; fingerprint: string };

  constructor(params: HeadParams = {}) {
    this.params = { ...DEFAULTS, ...params };
  }

  /** Embedding length the head takes. */
  get dim(): number {
    if (!this.layers_) throw new NotFittedError("ClassifierHead", "dim");
    return this.layers_[0].in;
  }

  /**
   * Train on `x` (row-major embeddings, `y.length` rows) and labels `y`.
   * @throws RangeError for bad hyperparameters, shapes or labels
   */
  fit(x: Float32Array, y: ArrayLike<number>, options: HeadFitOptions = {}): this {
    const p = this.params;
    checkParams(p);
    const n = y.length;
    if (n === 0 || x.length % n !== 0)
      throw new RangeError(`x has ${x.length} values for ${n} labels (expected n × dim values, n > 0)`);
    const dim = x.length / n;
    const k = options.classNames?.length ?? maxOf(y) + 1;
    const labels = checkLabels(y, k, "y");
    const valN = options.valY?.length ?? 0;
    const valLabels = valN > 0 ? checkLabels(options.valY!, k, "valY") : new Int32Array(0);
    if (valN > 0 && options.valX?.length !== valN * dim) {
      throw new RangeError(`valX has ${options.valX?.length} values for ${valN} labels (expected ${valN} × ${dim})`);
    }
    // Standardise with the training rows' statistics (float32, as they are saved).
    const { mean, scale } = standardisation(x, n, dim);
    this.mean_ = mean;
    this.scale_ = scale;
    const xs = standardise(x, mean, scale);
    const vs = valN > 0 ? standardise(options.valX!, mean, scale) : new Float32Array(0);
    this.classNames_ = options.classNames ? [...options.classNames] : Array.from({ length: k }, (_, i) => String(i));
    this.backbone_ = options.backbone
      ? { name: options.backbone.name, dim: options.backbone.dim, fingerprint: options.backbone.fingerprint }
      : undefined;
    const rand = mulberry32(p.seed);
    const sizes = p.kind === "mlp" ? [dim, p.hidden, k] : [dim, k];
    const layers = sizes.slice(1).map((out, l) => initLayer(sizes[l], out, p.kind === "mlp" ? rand : undefined));
    this.layers_ = layers;
    const adam = layers.map((L) => ({
      mw: new Float32Array(L.weights.length),
      vw: new Float32Array(L.weights.length),
      mb: new Float32Array(L.bias.length),
      vb: new Float32Array(L.bias.length),
    }));
    const order = Int32Array.from({ length: n }, (_, i) => i);
    let best = { acc: -1, loss: Infinity, epoch: 0, layers: cloneLayers(layers) };
    let step = 0;
    this.history_ = [];
    for (let epoch = 1; epoch <= p.epochs; epoch++) {
      const t0 = process.hrtime.bigint();
      shuffleInPlace(order, rand);
      for (let s = 0; s < n; s += p.batch_size) {
        const rows = order.subarray(s, Math.min(n, s + p.batch_size));
        step++;
        const grads = gradients(layers, xs, dim, labels, rows, p.alpha);
        adamStep(layers, grads, adam, p.learning_rate, step);
      }
      const train = lossAndAccuracy(layers, xs, labels);
      const val = valN > 0 ? lossAndAccuracy(layers, vs, valLabels) : { loss: NaN, accuracy: NaN };
      const log: EpochLog = {
        epoch,
        loss: train.loss,
        accuracy: train.accuracy,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        seconds: Number(process.hrtime.bigint() - t0) / 1e9,
      };
      this.history_.push(log);
      // Without validation rows, the training accuracy decides.
      const acc = valN > 0 ? val.accuracy : train.accuracy;
      const loss = valN > 0 ? val.loss : train.loss;
      if (acc > best.acc || (acc === best.acc && loss < best.loss)) {
        best = { acc, loss, epoch, layers: cloneLayers(layers) };
      }
      options.onEpoch?.(log, this.history_);
      if (p.early_stopping_rounds > 0 && epoch - best.epoch >= p.early_stopping_rounds) break;
    }
    this.layers_ = best.layers;
    this.bestEpoch_ = best.epoch;
    return this;
  }

  /** Class probabilities, row-major `n × classes`. */
  predictProba(x: Float32Array): Float32Array {
    const { layers, mean, scale } = this.fitted("predictProba");
    const dim = layers[0].in;
    if (x.length % dim !== 0) throw new RangeError(`x has ${x.length} values (expected a multiple of dim ${dim})`);
    const xs = standardise(x, mean, scale);
    const n = x.length / dim;
    const k = layers[layers.length - 1].out;
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      const probs = softmax(forward(layers, xs.subarray(i * dim, (i + 1) * dim)).logits);
      out.set(probs, i * k);
    }
    return out;
  }

  /**
   * Throws a SchemaError when `backbone` is not the one whose embeddings the head was trained on (name, length
   * and fingerprint): another backbone's embeddings give confident nonsense, not an error, when lengths happen
   * to divide. A head trained without a recorded backbone accepts any backbone of its embedding length.
   */
  checkBackbone(backbone: Pick<Backbone, "name" | "dim" | "fingerprint">): void {
    const want = this.backbone_;
    const dim = this.dim;
    if (backbone.dim !== dim || (want && (want.name !== backbone.name || want.fingerprint !== backbone.fingerprint))) {
      const trained = want ? `${want.name} (${want.fingerprint}, ${want.dim}-d)` : `${dim}-d embeddings`;
      throw new SchemaError(
        `backbone does not match the classifier head: ${backbone.name} (${backbone.fingerprint}, ${backbone.dim}-d) ` +
          `(expected ${trained}, the backbone the head was trained on)`,
      );
    }
  }

  /** Class probabilities and predictions of images embedded by `backbone`, which must be the head's own. */
  async predictImages(
    backbone: Backbone,
    images: readonly RgbImage[],
  ): Promise<{ proba: Float32Array; predictions: Int32Array }> {
    this.checkBackbone(backbone);
    const proba = this.predictProba(await backbone.embed(images));
    return { proba, predictions: argmaxRows(proba, this.layers_![this.layers_!.length - 1].out) };
  }

  /** The most probable class of each row (the first on ties). */
  predict(x: Float32Array): Int32Array {
    const proba = this.predictProba(x);
    return argmaxRows(proba, this.layers_![this.layers_!.length - 1].out);
  }

  private fitted(method: string): { layers: DenseLayer[]; mean: Float32Array; scale: Float32Array } {
    if (!this.layers_ || !this.mean_ || !this.scale_) throw new NotFittedError("ClassifierHead", method);
    return { layers: this.layers_, mean: this.mean_, scale: this.scale_ };
  }
}

function checkParams(p: Required<HeadParams>): void {
  if (p.kind !== "softmax" && p.kind !== "mlp")
    throw new RangeError(`kind is not supported: ${JSON.stringify(p.kind)} (expected "softmax" or "mlp")`);
  const ints: Array<[string, number, number]> = [
    ["epochs", p.epochs, 1],
    ["batch_size", p.batch_size, 1],
    ["hidden", p.hidden, 1],
    ["early_stopping_rounds", p.early_stopping_rounds, 0],
  ];
  for (const [name, v, min] of ints) {
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`${name} is out of range: ${v} (expected an integer >= ${min})`);
  }
  if (!(p.learning_rate > 0)) throw new RangeError(`learning_rate is out of range: ${p.learning_rate} (expected > 0)`);
  if (!(p.alpha >= 0)) throw new RangeError(`alpha is out of range: ${p.alpha} (expected >= 0)`);
}

/** `Math.max(...y)` without spreading, which throws RangeError for arrays of a few hundred thousand labels. */
function maxOf(y: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < y.length; i++) m = Math.max(m, y[i]);
  return m;
}

function checkLabels(y: ArrayLike<number>, k: number, name: string): Int32Array {
  const out = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || v >= k)
      throw new RangeError(`${name}[${i}] is out of range: ${v} (expected a class label 0..${k - 1})`);
    out[i] = v;
  }
  return out;
}

function standardisation(x: Float32Array, n: number, dim: number): { mean: Float32Array; scale: Float32Array } {
  const sum = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) sum[j] += x[i * dim + j];
  const mean = Float32Array.from(sum, (s) => s / n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const d = x[i * dim + j] - mean[j];
      sq[j] += d * d;
    }
  }
  // A constant feature keeps scale 1 (sklearn's StandardScaler does the same).
  const scale = Float32Array.from(sq, (s) => (Math.sqrt(s / n) > 1e-12 ? Math.sqrt(s / n) : 1));
  return { mean, scale };
}

function standardise(x: Float32Array, mean: Float32Array, scale: Float32Array): Float32Array {
  const dim = mean.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - mean[i % dim]) / scale[i % dim];
  return out;
}

function initLayer(inputs: number, out: number, rand?: () => number): DenseLayer {
  const weights = new Float32Array(out * inputs);
  if (rand) {
    // He-uniform for the ReLU layers of the MLP; softmax regression starts at zero.
    const limit = Math.sqrt(6 / inputs);
    for (let j = 0; j < weights.length; j++) weights[j] = (rand() * 2 - 1) * limit;
  }
  return { in: inputs, out, weights, bias: new Float32Array(out) };
}

function cloneLayers(layers: DenseLayer[]): DenseLayer[] {
  return layers.map((L) => ({ in: L.in, out: L.out, weights: L.weights.slice(), bias: L.bias.slice() }));
}

function dense(L: DenseLayer, x: Float32Array, relu: boolean): Float32Array {
  const z = new Float32Array(L.out);
  for (let o = 0; o < L.out; o++) {
    let s = L.bias[o];
    const w = o * L.in;
    for (let j = 0; j < L.in; j++) s += L.weights[w + j] * x[j];
    z[o] = relu && s < 0 ? 0 : s;
  }
  return z;
}

/** Activations of every layer for one row (the last is the logits). */
function forward(layers: DenseLayer[], x: Float32Array): { acts: Float32Array[]; logits: Float32Array } {
  const acts = [x];
  for (let l = 0; l < layers.length; l++) acts.push(dense(layers[l], acts[l], l < layers.length - 1));
  return { acts, logits: acts[acts.length - 1] };
}

function softmax(z: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  const out = new Float32Array(z.length);
  let sum = 0;
  for (let c = 0; c < z.length; c++) sum += out[c] = Math.exp(z[c] - max);
  for (let c = 0; c < z.length; c++) out[c] /= sum;
  return out;
}

/**
 * The most probable class of each row of row-major `n × k` probabilities (the first on ties), so callers
 * that already hold `predictProba`'s output need not run the network again.
 * @example argmaxRows(Float32Array.of(0.2, 0.8, 0.6, 0.4), 2) // Int32Array [1, 0]
 */
export function argmaxRows(proba: Float32Array, k: number): Int32Array {
  const out = new Int32Array(proba.length / k);
  for (let i = 0; i < out.length; i++) out[i] = argmax(proba.subarray(i * k, (i + 1) * k));
  return out;
}

function argmax(p: Float32Array): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  return best;
}

interface Grad {
  weights: Float32Array;
  bias: Float32Array;
}

function gradients(
  layers: DenseLayer[],
  xs: Float32Array,
  dim: number,
  labels: Int32Array,
  rows: Int32Array,
  alpha: number,
): Grad[] {
  const grads = layers.map((L) => ({ weights: new Float32Array(L.weights.length), bias: new Float32Array(L.out) }));
  const b = rows.length;
  for (const r of rows) {
    const { acts, logits } = forward(layers, xs.subarray(r * dim, (r + 1) * dim));
    let delta = softmax(logits);
    delta[labels[r]] -= 1;
    for (let l = layers.length - 1; l >= 0; l--) {
      const L = layers[l];
      const a = acts[l];
      const g = grads[l];
      const prev = l > 0 ? new Float32Array(L.in) : undefined;
      for (let o = 0; o < L.out; o++) {
        const d = delta[o] / b;
        if (d === 0) continue;
        g.bias[o] += d;
        const w = o * L.in;
        for (let j = 0; j < L.in; j++) {
          g.weights[w + j] += d * a[j];
          if (prev) prev[j] += d * L.weights[w + j] * b;
        }
      }
      if (prev) {
        for (let j = 0; j < L.in; j++) if (a[j] <= 0) prev[j] = 0; // ReLU's derivative
        delta = prev;
      }
    }
  }
  if (alpha > 0) {
    layers.forEach((L, l) => {
      for (let j = 0; j < L.weights.length; j++) grads[l].weights[j] += alpha * L.weights[j];
    });
  }
  return grads;
}

function adamStep(
  layers: DenseLayer[],
  grads: Grad[],
  state: Array<{ mw: Float32Array; vw: Float32Array; mb: Float32Array; vb: Float32Array }>,
  lr: number,
  t: number,
): void {
  const b1 = 0.9,
    b2 = 0.999,
    eps = 1e-8;
  const c1 = 1 - Math.pow(b1, t),
    c2 = 1 - Math.pow(b2, t);
  const update = (w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array) => {
    for (let j = 0; j < w.length; j++) {
      m[j] = b1 * m[j] + (1 - b1) * g[j];
      v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
      w[j] -= (lr * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + eps);
    }
  };
  layers.forEach((L, l) => {
    update(L.weights, grads[l].weights, state[l].mw, state[l].vw);
    update(L.bias, grads[l].bias, state[l].mb, state[l].vb);
  });
}

function lossAndAccuracy(
  layers: DenseLayer[],
  xs: Float32Array,
  labels: Int32Array,
): { loss: number; accuracy: number } {
  const n = labels.length;
  const dim = layers[0].in;
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const p = softmax(forward(layers, xs.subarray(i * dim, (i + 1) * dim)).logits);
    loss -= Math.log(Math.max(p[labels[i]], 1e-12));
    if (argmax(p) === labels[i]) correct++;
  }
  return { loss: loss / n, accuracy: correct / n };
}
