/**
 * Detection results as pycocotools' `loadRes` fills them in (coco.py, pycocotools 2.0.11), without
 * changing the caller's records: each is copied, checked (FormatError naming `results[i]` and the
 * field) and completed. The first record decides the kind for all: a non-empty `bbox` makes them box
 * results (`area = w * h`, the box's polygon as `segmentation` when there is none); otherwise a
 * `segmentation` makes them mask results (compressed RLE only: `area` = its pixel count, `bbox` = its
 * box when there is none). Every record gets `id = index + 1` and `iscrowd = 0`.
 */
import { FormatError } from "../util/errors";
import { recordError, show, type CocoAnnotation, type CocoImage } from "./coco-records";
import { runsArea, runsBbox, toRuns, type Rle, type Runs } from "./rle";

/**
 * The completed copies of `results` (an empty array gives none; pycocotools fails on it).
 * @example resultAnnotations([{ image_id: 42, category_id: 18, bbox: [1, 2, 3, 4], score: 0.9 }], "dt.json", imgs)
 */
export function resultAnnotations(results: unknown, source: string, imgs: Map<number, CocoImage>): CocoAnnotation[] {
  if (!Array.isArray(results)) {
    throw new FormatError(
      `results are not an array: ${show(results)} (expected [{image_id, category_id, bbox | segmentation, score}]) in ${source}`,
    );
  }
  const first: unknown = results[0];
  if (first === undefined) return [];
  if (typeof first !== "object" || first === null) {
    throw recordError(source, "results", 0, first, "", "result is not an object", first, "a detection");
  }
  const head = first as Record<string, unknown>;
  const kind = Array.isArray(head.bbox) && head.bbox.length > 0 ? "bbox" : "segmentation" in head ? "segm" : undefined;
  if (kind === undefined) {
    throw new FormatError(
      `results[0] has neither bbox nor segmentation: ${show(first)} (expected detections) in ${source}`,
    );
  }
  return results.map((rec, i) => resultRecord(rec, i, kind, source, imgs));
}

/** A result record copied and filled in (see loadRes). */
function resultRecord(
  rec: unknown,
  i: number,
  kind: "bbox" | "segm",
  source: string,
  imgs: Map<number, CocoImage>,
): CocoAnnotation {
  const place = {
    error: (field: string, problem: string, value: unknown, expected: string) =>
      recordError(source, "results", i, rec, field, problem, value, expected),
  };
  if (typeof rec !== "object" || rec === null || Array.isArray(rec)) {
    throw place.error("", "result is not an object", rec, "a detection");
  }
  const ann = { ...(rec as Record<string, unknown>) };
  if (!imgs.has(ann.image_id as number)) {
    throw place.error(
      "image_id",
      "result image_id is not an image of the ground truth",
      ann.image_id,
      `one of its ${imgs.size} image ids`,
    );
  }
  if (kind === "bbox") {
    const bb = ann.bbox;
    if (!Array.isArray(bb) || bb.length !== 4 || !bb.every((v) => typeof v === "number")) {
      throw place.error("bbox", "result bbox is not 4 numbers", bb, "[x, y, width, height] (the first result has one)");
    }
    const [x1, y1, w, h] = bb as number[];
    const [x2, y2] = [x1 + w, y1 + h];
    if (!("segmentation" in ann)) ann.segmentation = [[x1, y1, x1, y2, x2, y2, x2, y1]];
    ann.area = w * h;
  } else {
    const segm = ann.segmentation as Rle;
    if (typeof segm !== "object" || segm === null || typeof segm.counts !== "string" || !Array.isArray(segm.size)) {
      throw place.error(
        "segmentation",
        "result segmentation is not compressed RLE",
        segm,
        "{size: [h, w], counts: string}",
      );
    }
    let runs: Runs;
    try {
      runs = toRuns(segm);
    } catch (e) {
      throw place.error(
        "segmentation",
        `result RLE is malformed (${(e as Error).message})`,
        segm.counts,
        "compressed COCO counts",
      );
    }
    ann.area = runsArea(runs);
    if (!("bbox" in ann)) ann.bbox = runsBbox(runs);
  }
  ann.id = i + 1;
  ann.iscrowd = 0;
  return ann as CocoAnnotation;
}
