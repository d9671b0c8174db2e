/**
 * "Workshop vs here" for the preprocessing notebooks 2.1 (TensorFlow), 3.1 (PyTorch) and 4.1
 * (SageMaker built-in): the workshop's numbers and choices (workshop.md B.3, B.5, B.7, B.9, B.10)
 * next to what {@link preprocessDataset} wrote.
 */
import {
  WorkshopComparison,
  _n,
  type ComparisonRow,
  type ComparisonStatus,
  _row as row,
} from "../tabular/comparison-table";
import type { PreprocessedDataset } from "./preprocess-dataset";
import { WORKSHOP_CROP_SIZE, WORKSHOP_FIT_SIZE } from "./transforms";

/** The workshop's preprocessing numbers (gonsoomoon-ml/ml-data-prep-workshop 4149fae). */
export const WORKSHOP_PREPROCESS = Object.freeze({
  split: { train: 2200, val: 275, test: 275 },
  tfrecordBytes: { train: 50_526_031, val: 6_541_817 },
  tfrecordRate: 271,
  pytorchFiles: 2475,
  pytorchBytes: 35_190_637,
  pytorchJpeg: { min: 2892, max: 45_691, mean: 14_200 },
  pytorchRate: 78,
  recBytes: { train: 60_641_456, val: 7_808_476 },
});

const SOURCES = {
  "2.1": "image 2.1.tensorflow_preprocessing.ipynb (workshop.md B.3",
  "3.1": "image 3.1.pytorch_preprocessing.ipynb (workshop.md B.5",
  "4.1": "image 4.1.builtin_preprocessing.ipynb (workshop.md B.7",
} as const;

/** Which preprocessing notebook. */
export type PreprocessNotebook = keyof typeof SOURCES;

const triple = (x: Record<string, number>) => ["train", "val", "test"].map((s) => _n(x[s] ?? 0)).join(" / ");

/** @internal */
export function _preprocessComparison(nb: PreprocessNotebook, r: PreprocessedDataset): WorkshopComparison {
  const W = WORKSHOP_PREPROCESS;
  const src = (step: string) => `${SOURCES[nb]} ${step})`;
  const total = Object.values(r.images).reduce((a, b) => a + b, 0);
  const sameSample = total === 2750;
  const other = `${_n(total)} images, not the workshop's 2,750 (another sample)`;
  const countStatus: ComparisonStatus = sameSample
    ? ["train", "val", "test"].every((s) => r.written[s] === W.split[s as "train"])
      ? "same"
      : "differs"
    : "not comparable";
  const bytesOf = (p: string) => r.files.find((f) => f.path === p)?.bytes ?? 0;
  const s = r.settings;
  const rate = `${r.imagesPerSecond.toFixed(0)} images/s (both cores, this machine)`;
  const colour = `${r.converted.grayscale} grayscale, ${r.converted.cmyk} CMYK, ${r.converted.alpha} with alpha converted to RGB and counted`;
  const failures = `${r.failures.length} left out (onError "collect")`;
  const rows: ComparisonRow[] = [];
  if (nb === "2.1") {
    const geom = `fit ${s.fitSize}, then crop or pad ${s.size}×${s.size}`;
    const workshopGeom = s.size === WORKSHOP_CROP_SIZE && s.fitSize === WORKSHOP_FIT_SIZE;
    rows.push(
      row(
        "Resize",
        "stored geometry",
        `fit ${WORKSHOP_FIT_SIZE}, then crop or pad 244×244`,
        geom,
        src("step 4"),
        workshopGeom ? "same" : "replaced",
        "224 by default: 244 was a typo of ImageNet's 224 kept from the AWS sample",
      ),
      row(
        "Write",
        "records per split (train / val / test)",
        triple(W.split),
        triple(r.written),
        src("step 7"),
        countStatus,
        other,
      ),
      row(
        "Write",
        "file sizes",
        `train ${_n(W.tfrecordBytes.train)} B; val ${_n(W.tfrecordBytes.val)} B`,
        `train ${_n(bytesOf("train.tfrecord"))} B; val ${_n(bytesOf("val.tfrecord"))} B`,
        src("step 8"),
        "not comparable",
        [
          sameSample ? "another JPEG encoder (libvips, not TensorFlow's)" : other,
          s.size === 244 ? "" : `${s.size}² instead of 244²`,
        ]
          .filter(Boolean)
          .join("; "),
      ),
      row(
        "Write",
        "records",
        "tf.train.Example: height, width, depth, label (int64), image_raw (JPEG q90); masked CRC-32C",
        `the same five features, JPEG q${s.quality}; order ${s.shuffle ? `shuffled (seed ${s.seed})` : "sorted"}`,
        src("step 7"),
        s.quality === 90 ? "same" : "differs",
        `quality ${s.quality}`,
      ),
      row(
        "Write",
        "speed",
        `about ${W.tfrecordRate} records/s`,
        rate,
        src("step 7"),
        "not comparable",
        "another machine and image size",
      ),
      row(
        "Normalise",
        "pixel values",
        "none: uint8 0-255 into ResNet50 without preprocess_input (B.9)",
        "stored as JPEG; the to-tensor view shows /255 and ImageNet's mean/std",
        "workshop.md B.9, B.10",
        "replaced",
        "normalisation belongs to the training input pipeline; shown here, not stored",
      ),
    );
  } else if (nb === "3.1") {
    const folders = s.folderNames === "name" ? "class names" : "00 … 10";
    const jpeg = r.jpegBytes;
    rows.push(
      row(
        "Resize",
        "stored geometry",
        "Resize(224): shorter side 224, aspect kept, no crop",
        `${s.resize} ${s.size}`,
        src("step 5"),
        s.resize === "shorter-side" && s.size === 224 ? "same" : "differs",
        "another resize parameter",
      ),
      row(
        "Write",
        "class folders",
        "00 … 10 per split (save_image)",
        `${folders} per split`,
        src("step 5"),
        s.folderNames === "name" ? "differs" : "same",
        'folderNames = "name"',
      ),
      row(
        "Write",
        "files per split (train / val / test)",
        triple(W.split),
        triple(r.written),
        src("step 5"),
        countStatus,
        other,
      ),
      row(
        "Write",
        "JPEG sizes",
        `${_n(W.pytorchJpeg.min)}-${_n(W.pytorchJpeg.max)} B, mean ≈${_n(W.pytorchJpeg.mean)} B (save_image, PIL q75)`,
        `${_n(jpeg.min)}-${_n(jpeg.max)} B, mean ${_n(jpeg.mean)} B (q${s.quality})`,
        src("step 6"),
        "not comparable",
        `${sameSample ? "" : other + "; "}quality ${s.quality}`,
      ),
      row(
        "Write",
        "train and val folders (the S3 upload)",
        `${_n(W.pytorchFiles)} JPEGs, ${_n(W.pytorchBytes)} B`,
        `${_n((r.written.train ?? 0) + (r.written.val ?? 0))} JPEGs, ${_n(bytesOf("train/") + bytesOf("val/"))} B`,
        src("step 6"),
        "not comparable",
        `${sameSample ? "" : other + "; "}quality ${s.quality} (save_image: PIL's default 75)`,
      ),
      row(
        "Write",
        "speed",
        `about ${W.pytorchRate} images/s`,
        rate,
        src("step 5"),
        "not comparable",
        "another machine",
      ),
      row(
        "Normalise",
        "Normalize(mean, std)",
        "none anywhere",
        "ImageNet mean/std in the to-tensor view",
        "workshop.md B.5 step 4",
        "replaced",
        "pretrained ResNets expect ImageNet-normalised input",
      ),
      row(
        "Augment",
        "augmentation demo",
        "RandomResizedCrop, flips, ColorJitter; unseeded; shown transposed (permute(2,1,0))",
        "the same transforms, seeded, shown upright",
        "workshop.md B.5 step 4",
        "replaced",
        "reproducible and displayed as HWC",
      ),
      row(
        "Write",
        "stale files",
        "275 test images left in the train prefix (B.6)",
        "the folder is built aside and replaced whole",
        "workshop.md B.6",
        "replaced",
        "no file of an earlier run can remain",
      ),
    );
  } else {
    rows.push(
      row(
        "List",
        ".lst spellings",
        "hand-written %010d\\t%d\\tpath, then im2rec %d\\t%f\\trelpath (shuffled, seed 100)",
        "both: workshop-lst/{split}.lst and {split}.lst",
        src("steps 1-2"),
        "same",
        "",
      ),
      row(
        "RecordIO",
        "geometry and quality",
        "im2rec --resize 224 --quality 90 (shorter edge, cv2)",
        `${s.resize} ${s.size}, quality ${s.quality}`,
        src("step 3"),
        s.resize === "shorter-side" && s.size === 224 && s.quality === 90 ? "same" : "differs",
        "other parameters",
      ),
      row(
        "RecordIO",
        "records per split (train / val / test)",
        `${triple(W.split)} (.rec of train and val only)`,
        triple(r.written),
        src("step 3"),
        countStatus,
        other,
      ),
      row(
        "RecordIO",
        ".rec sizes",
        `train ${_n(W.recBytes.train)} B; val ${_n(W.recBytes.val)} B`,
        `train ${_n(bytesOf("train.rec"))} B; val ${_n(bytesOf("val.rec"))} B`,
        src("step 4"),
        "not comparable",
        sameSample ? "other JPEG encoder (libvips, not cv2)" : other,
      ),
      row(
        "RecordIO",
        "speed",
        "about 2.2 s per 1,000 images (≈450 images/s, 16 threads)",
        rate,
        src("step 3"),
        "not comparable",
        "another machine",
      ),
    );
  }
  rows.push(
    row(
      "Input",
      "colour",
      "forced to RGB by the decoder, not counted (B.10)",
      colour,
      "workshop.md B.10",
      "replaced",
      "conversions are counted and listed in results.json",
    ),
    row(
      "Input",
      "bad images",
      "not handled in the notebooks",
      r.failures.length ? failures : "none met; a bad image stops the run naming the file, nothing written",
      "workshop.md B.10",
      "replaced",
      "errors name the file; the output folder is published only when complete",
    ),
  );
  const titles = { "2.1": "TensorFlow preprocessing", "3.1": "PyTorch preprocessing", "4.1": "built-in preprocessing" };
  return new WorkshopComparison(`Workshop vs here: image notebook ${nb} (${titles[nb]})`, rows);
}

/**
 * The "workshop vs here" table of a preprocessing notebook.
 * @example preprocessWorkshopComparison("2.1", await preprocessDataset(dir, out, { format: "tfrecord" }))
 */
export function preprocessWorkshopComparison(nb: PreprocessNotebook, r: PreprocessedDataset): WorkshopComparison {
  if (!(nb in SOURCES))
    throw new RangeError(`preprocessing notebook unknown: ${JSON.stringify(nb)} (expected "2.1", "3.1" or "4.1")`);
  if (r === null || typeof r !== "object")
    throw new TypeError(`result is not an object: ${String(r)} (expected preprocessDataset's result)`);
  return _preprocessComparison(nb, r);
}
