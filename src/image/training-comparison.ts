/**
 * "Workshop vs here" for the training notebook 5.1, which replaces the workshop's three cloud trainings:
 * TensorFlow ResNet50 (B.4), PyTorch ResNet18 (B.6) and the SageMaker built-in ResNet-18 (B.8), compared
 * in B.9. Their numbers are from `../shared/reference/workshop.md`.
 */
import { WorkshopComparison, type ComparisonRow, _row as row } from "../tabular/comparison-table";

/** The workshop's training numbers (B.4, B.6, B.8). */
export const WORKSHOP_TRAINING = Object.freeze({
  valAccuracy: { tensorflow: 0.84, pytorch: 0.8, builtin: 0.690625 },
  valImages: { tensorflow: 275, pytorch: 275, builtin: 320 },
  billableSeconds: { tensorflow: 371, pytorch: 233, builtin: 139 },
  epochs: { tensorflow: 10, pytorch: 10, builtin: 5 },
});

/** What notebook 5.1 measured. */
export interface TrainingMeasured {
  backbone: string;
  baseline: string;
  /** Whether the run's training and test images are all real (no generated image). */
  real: boolean;
  counts: { train: number; val: number; test: number; classes: number };
  valAccuracy: number;
  testAccuracy: number;
  baselineTestAccuracy: number;
  bestEpoch: number;
  epochsRun: number;
  /** Test images whose pixels are also a training image's. */
  overlap: number;
  embedSeconds: number;
  trainingSeconds: number;
  imagesPerSecond: number | null;
  /** The run on real CIFAR-10 records, when the main run's images were generated. */
  realRun?: { testAccuracy: number; valAccuracy: number; test: number; baselineTestAccuracy: number };
}

const B = "image 2.2/3.2/4.2 training notebooks (workshop.md B.9)";
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/**
 * The comparison table of the training notebook.
 * @example trainingWorkshopComparison({ backbone: "efficientnet-lite0", ... })
 */
export function trainingWorkshopComparison(m: TrainingMeasured): WorkshopComparison {
  const W = WORKSHOP_TRAINING;
  const data = m.real ? "real images" : "generated images (offline stand-in)";
  const rows: ComparisonRow[] = [
    row(
      "Model",
      "backbone",
      "ResNet50 (TF), ResNet18 (PyTorch), ResNet-18 (built-in), ImageNet-pretrained, fine-tuned whole on a GPU",
      m.backbone === "efficientnet-lite0"
        ? "EfficientNet-Lite0, ImageNet-pretrained, frozen (feature extraction) on 2 CPU cores"
        : `${m.backbone}, no pretraining, frozen, on 2 CPU cores`,
      B,
      "replaced",
      "no GPU and no cloud: the backbone's embeddings are computed once and cached, only the head is trained",
    ),
    row(
      "Model",
      "head",
      "Dense(11, softmax) / Linear(512, 11)",
      "softmax regression on standardised embeddings (or an MLP)",
      "image 2.2 and 3.2 (workshop.md B.4, B.6)",
      "same",
      "",
    ),
    row(
      "Preprocess",
      "input size and scaling",
      "244×244 raw 0-255 (TF), 224 in [0,1] (PyTorch), no ImageNet normalisation",
      m.backbone === "efficientnet-lite0"
        ? "224×224 scaled as the network was trained ((v-127)/128)"
        : "32×32, [-1, 1]",
      "image 2.2/3.2 (workshop.md B.4, B.6, B.10)",
      "replaced",
      "the workshop fed pixels the pretrained networks were not trained on; the 244 was a typo for 224",
    ),
    row(
      "Train",
      "augmentation",
      "flips, colour jitter, RandomResizedCrop / crop_color_transform",
      "none",
      B,
      "replaced",
      "a frozen backbone's embeddings are cached once per image; augmenting would re-embed every epoch",
    ),
    row(
      "Train",
      "optimiser, epochs",
      "SGD lr 0.001 momentum 0.9; 10 / 10 / 5 epochs",
      `Adam lr 0.001, L2; ${m.epochsRun} epochs run, early stopping`,
      B,
      "replaced",
      "a convex head on fixed embeddings; early stopping on validation accuracy",
    ),
    row(
      "Train",
      "weights kept",
      "last epoch (TF, although its text says best), best val acc (PyTorch, built-in)",
      `best validation accuracy (epoch ${m.bestEpoch})`,
      "image 2.2/3.2 (workshop.md B.4, B.6)",
      "same",
      "",
    ),
    row(
      "Evaluate",
      "validation accuracy",
      `${pct(W.valAccuracy.tensorflow)} / ${pct(W.valAccuracy.pytorch)} / ${pct(W.valAccuracy.builtin)} on 275 / 275 / 320 images`,
      `${pct(m.valAccuracy)} on ${m.counts.val} ${data}`,
      B,
      "not comparable",
      m.real ? "other images and classes" : "generated images: the number says nothing about photographs",
    ),
    row(
      "Evaluate",
      "test accuracy",
      "never computed: a 12-image grid, and the PyTorch model had trained on the test images (B.6)",
      `${pct(m.testAccuracy)} on ${m.counts.test} held-out ${data}, ${m.overlap} also in training` +
        (m.realRun ? `; on real CIFAR-10: ${pct(m.realRun.testAccuracy)} on ${m.realRun.test} test records` : ""),
      "image 3.2.pytorch_training (workshop.md B.6)",
      "replaced",
      "an honest test accuracy: test images from another file or folder, checked not to be in training",
    ),
    row(
      "Evaluate",
      "baseline without pretraining",
      "none",
      `${m.baseline}: ${pct(m.baselineTestAccuracy)}` +
        (m.realRun ? ` (real CIFAR-10: ${pct(m.realRun.baselineTestAccuracy)})` : "") +
        ` vs ${m.backbone} ${pct(m.realRun ? m.realRun.testAccuracy : m.testAccuracy)}`,
      B,
      "replaced",
      "shows what ImageNet pretraining buys",
    ),
    row(
      "Cost",
      "time",
      `${W.billableSeconds.tensorflow} / ${W.billableSeconds.pytorch} / ${W.billableSeconds.builtin} s billable on ml.p3.2xlarge`,
      (m.embedSeconds > 0
        ? `embedding ${m.embedSeconds.toFixed(1)} s (${m.imagesPerSecond?.toFixed(1)} images/s)`
        : `embeddings from the cache${m.imagesPerSecond ? ` (backbone ${m.imagesPerSecond.toFixed(1)} images/s on one batch)` : ""}`) +
        `, head ${m.trainingSeconds.toFixed(1)} s, on 2 CPU cores`,
      B,
      "replaced",
      "local CPU instead of a GPU training job",
    ),
  ];
  return new WorkshopComparison("Workshop vs here: image training (notebooks 2.2, 3.2, 4.2 → 5.1)", rows);
}
