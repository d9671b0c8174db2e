/**
 * COCO run-length encoding (RLE) with pycocotools' semantics (`pycocotools.mask`, over cocoapi
 * `common/maskApi.c`, Simplified BSD): encode, decode, merge, area, toBbox, frPyObjects and the
 * compressed string format, bit for bit.
 *
 * Glossary: "rle" = run-length encoding; "counts" = run lengths over the pixels in column-major
 * (Fortran) order, starting with a run of 0s (which may be empty); "size" = `[height, width]`;
 * "compressed" = counts as the LEB128-like string of `rleToString`; "bbox" = `[x, y, width, height]`.
 *
 * | pycocotools (`mask`)        | here                                                           |
 * |-----------------------------|----------------------------------------------------------------|
 * | `encode(np.asfortranarray)` | `encode(mask)`: a {@link Mask} is row-major (`data[y * width + x]`) |
 * | `decode(rle)` (h x w x n)   | `decode(rle)` / `decode(rles)`: a Mask / Mask[]                |
 * | `merge(rles, intersect)`    | `merge(rles, intersect)`                                       |
 * | `area`, `toBbox`            | `area`, `toBbox` (a single RLE or an array, like pycocotools)  |
 * | `frPyObjects(obj, h, w)`    | `frPyObjects(obj, h, w)` (polygons, bboxes, uncompressed RLE)  |
 * | C `rleToString/rleFrString` | `rleToString(counts)`, `rleFrString(string)`                  |
 *
 * Differences, all where pycocotools would crash or return garbage: a mask value other than 0 is
 * foreground (pycocotools starts a new run at any change of value); merging RLEs of different sizes
 * or none, decoding counts that do not sum to height x width, and a malformed compressed string
 * throw instead.
 */
import { FormatError } from "../util/errors";
import { polygonCounts } from "./polygon";

/** A compressed RLE as pycocotools returns it and COCO results files store it. */
export interface Rle {
  /** `[height, width]`. */
  size: [number, number];
  /** The counts in the compressed string format (characters `0` to `o`). */
  counts: string;
}

/** An uncompressed RLE, as the crowd annotations of COCO ground truth store it. */
export interface UncompressedRle {
  /** `[height, width]`. */
  size: [number, number];
  /** The run lengths, column-major, starting with a run of 0s. */
  counts: number[];
}

/** A binary mask, row-major: pixel (x, y) is `data[y * width + x]`, 1 = foreground. */
export interface Mask {
  height: number;
  width: number;
  data: Uint8Array;
}

/** `[x, y, width, height]`. */
export type Bbox = [number, number, number, number];

/** Run lengths with their image size: the form every operation here works on. */
export interface Runs {
  h: number;
  w: number;
  counts: Uint32Array;
}

/**
 * Encode a mask (or several) as compressed RLE.
 * @example encode({ height: 2, width: 2, data: Uint8Array.of(0, 1, 1, 1) }) // { size: [2, 2], counts: "112" }
 */
export function encode(mask: Mask): Rle;
export function encode(masks: Mask[]): Rle[];
export function encode(masks: Mask | Mask[]): Rle | Rle[] {
  if (Array.isArray(masks)) return masks.map((m) => toRle(encodeRuns(m)));
  return toRle(encodeRuns(masks));
}

/** Counts of a row-major mask (any non-zero value is foreground). */
export function encodeRuns(mask: Mask): Runs {
  const { height: h, width: w, data } = mask;
  if (data.length !== h * w) {
    throw new RangeError(`mask data length is wrong: ${data.length} (expected height x width = ${h * w})`);
  }
  const counts: number[] = [];
  let previous = 0;
  let run = 0;
  for (let x = 0; x < w; x++) {
    for (let i = x; i < h * w; i += w) {
      const p = data[i] === 0 ? 0 : 1;
      if (p !== previous) {
        counts.push(run);
        run = 0;
        previous = p;
      }
      run++;
    }
  }
  counts.push(run);
  return { h, w, counts: Uint32Array.from(counts) };
}

/**
 * Decode RLE (compressed or not) into a row-major mask; an array gives an array of masks.
 * @example decode({ size: [2, 2], counts: "112" }).data // Uint8Array [0, 1, 1, 1]
 */
export function decode(rle: Rle | UncompressedRle): Mask;
export function decode(rles: (Rle | UncompressedRle)[]): Mask[];
export function decode(rles: Rle | UncompressedRle | (Rle | UncompressedRle)[]): Mask | Mask[] {
  if (Array.isArray(rles)) return rles.map((r) => decodeRuns(toRuns(r)));
  return decodeRuns(toRuns(rles));
}

/** The row-major mask of counts; throws a FormatError when they do not cover exactly h x w pixels. */
export function decodeRuns(runs: Runs): Mask {
  const { h, w, counts } = runs;
  const data = new Uint8Array(h * w);
  let index = 0;
  for (let j = 0; j < counts.length; j++) {
    const end = index + counts[j];
    if (end > h * w) break;
    if (j % 2 === 1) {
      for (let i = index; i < end; i++) {
        const y = i % h;
        data[y * w + (i - y) / h] = 1;
      }
    }
    index = end;
  }
  const total = counts.reduce((sum, c) => sum + c, 0);
  if (total !== h * w) {
    throw new FormatError(`RLE counts do not cover the image: they sum to ${total} (expected ${h} x ${w} = ${h * w})`);
  }
  return { height: h, width: w, data };
}

/**
 * Union (or, with `intersect`, intersection) of RLEs of one size.
 * @example merge([a, b]) // the union of a and b as compressed RLE
 */
export function merge(rles: (Rle | UncompressedRle)[], intersect = false): Rle {
  return toRle(mergeRuns(rles.map(toRuns), intersect));
}

/** Union or intersection of counts, as maskApi's rleMerge walks them. */
export function mergeRuns(runs: Runs[], intersect = false): Runs {
  if (runs.length === 0) throw new RangeError("merge needs at least one RLE: got none");
  const { h, w } = runs[0];
  for (const r of runs) {
    if (r.h !== h || r.w !== w) {
      throw new RangeError(`merge needs RLEs of one size: got [${r.h}, ${r.w}] (expected [${h}, ${w}])`);
    }
  }
  let cnts = Array.from(runs[0].counts);
  for (let i = 1; i < runs.length; i++) {
    const A = cnts;
    const B = runs[i].counts;
    if (A.length === 0 || B.length === 0) {
      cnts = [];
      continue;
    }
    const out: number[] = [];
    let ca = A[0];
    let cb = B[0];
    let v = false;
    let va = false;
    let vb = false;
    let a = 1;
    let b = 1;
    let cc = 0;
    let ct = 1;
    while (ct > 0) {
      const c = Math.min(ca, cb);
      cc += c;
      ct = 0;
      ca -= c;
      if (!ca && a < A.length) {
        ca = A[a++];
        va = !va;
      }
      ct += ca;
      cb -= c;
      if (!cb && b < B.length) {
        cb = B[b++];
        vb = !vb;
      }
      ct += cb;
      const vp: boolean = v;
      v = intersect ? va && vb : va || vb;
      if (v !== vp || ct === 0) {
        out.push(cc);
        cc = 0;
      }
    }
    cnts = out;
  }
  return { h, w, counts: Uint32Array.from(cnts) };
}

/**
 * Foreground pixel count of an RLE, or of each of an array.
 * @example area({ size: [2, 2], counts: "112" }) // 3
 */
export function area(rle: Rle | UncompressedRle): number;
export function area(rles: (Rle | UncompressedRle)[]): number[];
export function area(rles: Rle | UncompressedRle | (Rle | UncompressedRle)[]): number | number[] {
  if (Array.isArray(rles)) return rles.map((r) => runsArea(toRuns(r)));
  return runsArea(toRuns(rles));
}

/** Sum of the odd (foreground) runs, in uint32 like maskApi. */
export function runsArea(runs: Runs): number {
  let a = 0;
  for (let j = 1; j < runs.counts.length; j += 2) a = (a + runs.counts[j]) >>> 0;
  return a;
}

/**
 * The tight box `[x, y, width, height]` (integer pixels) of an RLE, or of each of an array.
 * @example toBbox({ size: [2, 2], counts: "112" }) // [0, 0, 2, 2]
 */
export function toBbox(rle: Rle | UncompressedRle): Bbox;
export function toBbox(rles: (Rle | UncompressedRle)[]): Bbox[];
export function toBbox(rles: Rle | UncompressedRle | (Rle | UncompressedRle)[]): Bbox | Bbox[] {
  if (Array.isArray(rles)) return rles.map((r) => runsBbox(toRuns(r)));
  return runsBbox(toRuns(rles));
}

/**
 * The box of counts, as pycocotools 2.0.11's rleToBbox: a foreground run that spans two columns makes
 * the box full height; an empty mask gives `[0, 0, 0, 0]`.
 */
export function runsBbox(runs: Runs): Bbox {
  const { h, w, counts } = runs;
  const m = Math.floor(counts.length / 2) * 2;
  if (m === 0) return [0, 0, 0, 0];
  let xs = w;
  let ys = h;
  let xe = 0;
  let ye = 0;
  let cc = 0;
  for (let j = 0; j < m; j++) {
    const start = cc;
    cc = (cc + counts[j]) >>> 0;
    if (j % 2 === 0 || counts[j] === 0) continue;
    const yStart = start % h;
    const xStart = (start - yStart) / h;
    const yEnd = (cc - 1) % h;
    const xEnd = (cc - 1 - yEnd) / h;
    xs = Math.min(xs, xStart);
    xe = Math.max(xe, xEnd);
    if (xStart < xEnd) {
      ys = 0;
      ye = h - 1;
    } else {
      ys = Math.min(ys, yStart);
      ye = Math.max(ye, yEnd);
    }
  }
  return [xs, ys, (xe - xs + 1) >>> 0, (ye - ys + 1) >>> 0];
}

/** What frPyObjects accepts: polygons, bboxes or uncompressed RLEs, one or a list. */
export type PyObject = number[] | number[][] | UncompressedRle | UncompressedRle[];

/**
 * Compressed RLE from polygons, boxes or uncompressed RLE, dispatched as pycocotools does: a list
 * whose FIRST element has 4 numbers is a list of boxes (even if later ones are polygons), more than 4
 * a list of polygons; an uncompressed RLE keeps its own size (`h` and `w` are then unused). Beyond
 * pycocotools 2.0.11, which fails on these: boxes may be plain arrays (it wants a numpy array), and
 * a flat list of 4 numbers is one box, of more one polygon (it takes `len()` of the first number).
 * @example frPyObjects([[10, 10, 20, 10, 20, 20]], 480, 640) // [{ size: [480, 640], counts: "..." }]
 */
export function frPyObjects(obj: number[][] | UncompressedRle[], h: number, w: number): Rle[];
export function frPyObjects(obj: number[] | UncompressedRle, h: number, w: number): Rle;
export function frPyObjects(obj: PyObject, h: number, w: number): Rle | Rle[] {
  const r = frPyObjectsRuns(obj, h, w);
  return Array.isArray(r) ? r.map(toRle) : toRle(r);
}

/** frPyObjects without the final compression. */
export function frPyObjectsRuns(obj: PyObject, h: number, w: number): Runs | Runs[] {
  if (Array.isArray(obj)) {
    const first: unknown = obj[0];
    if (Array.isArray(first) && first.length === 4) return (obj as number[][]).map((b) => bboxRuns(b, h, w));
    if (Array.isArray(first) && first.length > 4) {
      return (obj as number[][]).map((p) => ({ h, w, counts: polygonCounts(p, h, w) }));
    }
    if (isUncompressed(first)) return (obj as UncompressedRle[]).map(uncompressedRuns);
    if (obj.length === 4 && typeof first === "number") return bboxRuns(obj as number[], h, w);
    if (obj.length > 4 && typeof first === "number") return { h, w, counts: polygonCounts(obj as number[], h, w) };
  } else if (isUncompressed(obj)) {
    return uncompressedRuns(obj);
  }
  throw new TypeError(
    `frPyObjects input is not supported: ${describe(obj)} (expected polygons [[x1, y1, ...]], boxes [[x, y, w, h]] or uncompressed RLE {size, counts: number[]}, one or a list)`,
  );
}

/** The counts of the box `[x, y, w, h]`, rasterised as the polygon of its corners (maskApi rleFrBbox). */
function bboxRuns(bb: number[], h: number, w: number): Runs {
  const [xs, ys] = bb;
  const xe = xs + bb[2];
  const ye = ys + bb[3];
  return { h, w, counts: polygonCounts([xs, ys, xs, ye, xe, ye, xe, ys], h, w) };
}

function uncompressedRuns(rle: UncompressedRle): Runs {
  return { h: rle.size[0], w: rle.size[1], counts: Uint32Array.from(rle.counts, (c) => c >>> 0) };
}

function isUncompressed(x: unknown): x is UncompressedRle {
  return typeof x === "object" && x !== null && !Array.isArray(x) && "counts" in x && "size" in x;
}

function describe(x: unknown): string {
  const s = JSON.stringify(x);
  return s === undefined ? String(x) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Counts of a compressed or uncompressed RLE object. */
export function toRuns(rle: Rle | UncompressedRle): Runs {
  if (!isUncompressed(rle) || !Array.isArray(rle.size) || rle.size.length !== 2) {
    throw new TypeError(`RLE is not {size: [h, w], counts}: ${describe(rle)}`);
  }
  const [h, w] = rle.size;
  if (typeof rle.counts === "string") return { h, w, counts: rleFrString(rle.counts) };
  if (Array.isArray(rle.counts)) return uncompressedRuns(rle as UncompressedRle);
  throw new TypeError(`RLE counts are neither a string nor a list of numbers: ${describe(rle.counts)}`);
}

/** The compressed RLE object of counts. */
export function toRle(runs: Runs): Rle {
  return { size: [runs.h, runs.w], counts: rleToString(runs.counts) };
}

/**
 * The compressed string of counts (maskApi rleToString): from the fourth count on, store the
 * difference to the count two before; write each number in 5-bit groups, least significant first,
 * 0x20 marking "more groups follow" and 0x10 in the last group the sign; add 48 to each group.
 * @example rleToString([5, 3, 2]) // "532"
 */
export function rleToString(counts: ArrayLike<number>): string {
  const out = Buffer.allocUnsafe(counts.length * 7);
  let p = 0;
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i];
    if (i > 2) x -= counts[i - 2];
    let more = true;
    while (more) {
      let c = x & 0x1f; // two's complement low bits, also for negative x
      x = Math.floor(x / 32);
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      out[p++] = c + 48;
    }
  }
  return out.toString("latin1", 0, p);
}

/**
 * Counts from the compressed string (maskApi rleFrString); throws a FormatError on a character
 * outside `0`..`o` or a string that ends inside a number.
 * @example rleFrString("532") // Uint32Array [5, 3, 2]
 */
export function rleFrString(s: string): Uint32Array {
  const counts = new Uint32Array(s.length);
  let m = 0;
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) {
        throw new FormatError(`RLE string ends inside a number: ${describe(s)} (expected a last group below "P")`);
      }
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) {
        throw new FormatError(
          `RLE string has a character outside "0".."o": ${JSON.stringify(s[p])} at ${p} (expected compressed COCO counts)`,
        );
      }
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x -= 2 ** (5 * k);
    }
    if (m > 2) x += counts[m - 2];
    counts[m++] = x >>> 0;
  }
  return counts.slice(0, m);
}
