/**
 * The drawing side of the generated COCO-format dataset (`synthetic-coco.ts`): hand-drawn outlines
 * (one simple polygon per class, in a unit box facing right), a texture per class, backgrounds that
 * carry no class information, and a scanline rasterizer into an RGB buffer. Everything is a pure
 * function of its numeric arguments, so the same seed gives the same pixels.
 *
 * Class signatures (what a classifier can learn): bird small blue/red/yellow with a dark wing;
 * cat sitting with pointed ears, tabby stripes; dog tan/brown with a raised tail; horse chestnut
 * with a shine; sheep a cream scalloped fleece; cow white with black patches; elephant grey with
 * wrinkles and a trunk; bear dark brown, rounded; zebra bold black and white stripes; giraffe tall
 * neck, brown patches on tan. Non-animal objects (person, car, bench, ...) are flat colours.
 */

/** A point `[x, y]` in the unit box (x right, y down). */
export type Pt = readonly [number, number];

/** A drawable class: its outline, width/height ratio of its box, and its texture. */
export interface Shape {
  outline: readonly Pt[];
  /** Box width divided by box height. */
  aspect: number;
  /** Colour of a pixel at `(x, y)` pixels from the box's top-left, box size `w`×`h`, instance seed `s`. */
  texture: (x: number, y: number, w: number, h: number, s: number) => [number, number, number];
}

/** An integer hash of (x, y, seed) mapped to [0, 1). */
export function hash01(x: number, y: number, seed: number): number {
  let h = Math.imul(x | 0, 374761393) ^ Math.imul(y | 0, 668265263) ^ Math.imul(seed | 0, 1274126177);
  h = Math.imul(h ^ (h >>> 13), 1103515245);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1): random values on a grid of `cell` pixels, bilinear in between. */
export function valueNoise(x: number, y: number, cell: number, seed: number): number {
  const gx = x / cell;
  const gy = y / cell;
  const x0 = Math.floor(gx);
  const y0 = Math.floor(gy);
  const fx = gx - x0;
  const fy = gy - y0;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const a = hash01(x0, y0, seed);
  const b = hash01(x0 + 1, y0, seed);
  const c = hash01(x0, y0 + 1, seed);
  const d = hash01(x0 + 1, y0 + 1, seed);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
function rgb(c: readonly number[], f: number, noise = 0): [number, number, number] {
  return [clamp(c[0] * f + noise), clamp(c[1] * f + noise), clamp(c[2] * f + noise)];
}
/** One of `palette`, chosen by the instance seed. */
const pick = <T>(palette: readonly T[], s: number): T => palette[Math.floor(hash01(s, 7, 99) * palette.length)];
/** Top-lit shading: 1.1 at the top of the box to 0.85 at the bottom. */
const shade = (y: number, h: number) => 1.1 - 0.25 * (y / h);
const grain = (x: number, y: number, s: number, amp: number) => (hash01(x, y, s) - 0.5) * amp;

// Outlines: one simple polygon per class, facing right, drawn in a unit box.
const HORSE: Pt[] = [
  [0.1, 0.35], [0.62, 0.32], [0.74, 0.1], [0.85, 0.02], [0.98, 0.12], [0.95, 0.21], [0.86, 0.18],
  [0.8, 0.4], [0.78, 0.6], [0.8, 1], [0.73, 1], [0.7, 0.62], [0.32, 0.62], [0.28, 1], [0.21, 1],
  [0.2, 0.6], [0.12, 0.55], [0.03, 0.75], [0, 0.72], [0.07, 0.45],
]; // prettier-ignore
const COW: Pt[] = [
  [0.05, 0.25], [0.75, 0.22], [0.8, 0.12], [0.98, 0.18], [1, 0.4], [0.88, 0.45], [0.85, 0.65],
  [0.85, 1], [0.77, 1], [0.75, 0.7], [0.3, 0.7], [0.28, 1], [0.2, 1], [0.18, 0.68], [0.05, 0.62], [0, 0.4],
]; // prettier-ignore
const GIRAFFE: Pt[] = [
  [0.1, 0.55], [0.55, 0.5], [0.7, 0.1], [0.72, 0], [0.9, 0.02], [1, 0.08], [0.8, 0.14], [0.68, 0.55],
  [0.66, 1], [0.58, 1], [0.56, 0.72], [0.25, 0.72], [0.22, 1], [0.14, 1], [0.12, 0.7], [0.05, 0.6],
]; // prettier-ignore
const ELEPHANT: Pt[] = [
  [0.05, 0.3], [0.2, 0.08], [0.6, 0.05], [0.8, 0.12], [0.92, 0.3], [0.97, 0.6], [1, 0.95], [0.93, 0.95],
  [0.88, 0.62], [0.82, 0.55], [0.8, 1], [0.62, 1], [0.6, 0.75], [0.35, 0.75], [0.33, 1], [0.15, 1],
  [0.12, 0.7], [0.02, 0.55],
]; // prettier-ignore
const BEAR: Pt[] = [
  [0.05, 0.45], [0.15, 0.2], [0.4, 0.1], [0.65, 0.18], [0.75, 0.1], [0.78, 0.02], [0.85, 0.05],
  [0.88, 0.12], [0.97, 0.25], [1, 0.4], [0.9, 0.48], [0.85, 0.6], [0.85, 1], [0.7, 1], [0.66, 0.75],
  [0.35, 0.75], [0.3, 1], [0.15, 1], [0.12, 0.72], [0.02, 0.6],
]; // prettier-ignore
const CAT: Pt[] = [
  [0.3, 1], [0.2, 0.7], [0.25, 0.4], [0.3, 0.3], [0.28, 0.03], [0.42, 0.22], [0.58, 0.22], [0.72, 0.03],
  [0.7, 0.3], [0.75, 0.4], [0.8, 0.7], [0.95, 0.82], [1, 0.95], [0.85, 1],
]; // prettier-ignore
const DOG: Pt[] = [
  [0, 0.1], [0.1, 0.35], [0.15, 0.4], [0.7, 0.38], [0.75, 0.15], [0.88, 0.1], [1, 0.25], [0.95, 0.32],
  [0.85, 0.35], [0.85, 0.6], [0.83, 1], [0.75, 1], [0.72, 0.68], [0.28, 0.68], [0.25, 1], [0.17, 1],
  [0.15, 0.62], [0.08, 0.45],
]; // prettier-ignore
const BIRD: Pt[] = [
  [0, 0.55], [0.3, 0.4], [0.55, 0.3], [0.65, 0.1], [0.8, 0.05], [0.9, 0.12], [1, 0.18], [0.9, 0.22],
  [0.88, 0.4], [0.75, 0.7], [0.55, 0.8], [0.5, 1], [0.45, 1], [0.42, 0.8], [0.25, 0.7],
]; // prettier-ignore
/** A cloud-like fleece: an ellipse with scallops. */
const SHEEP: Pt[] = Array.from({ length: 72 }, (_, i): Pt => {
  const t = (i / 72) * 2 * Math.PI;
  const r = 1 - 0.08 * Math.abs(Math.sin(7 * t));
  return [0.5 + 0.5 * r * Math.cos(t), 0.5 + 0.5 * r * Math.sin(t)];
});
const PERSON: Pt[] = [
  [0.35, 0], [0.65, 0], [0.65, 0.2], [0.9, 0.25], [1, 0.6], [0.85, 0.6], [0.8, 0.4], [0.75, 1], [0.55, 1],
  [0.5, 0.65], [0.45, 1], [0.25, 1], [0.2, 0.4], [0.15, 0.6], [0, 0.6], [0.1, 0.25], [0.35, 0.2],
]; // prettier-ignore
const CAR: Pt[] = [
  [0, 0.5], [0.2, 0.45], [0.3, 0.1], [0.75, 0.1], [0.85, 0.45], [1, 0.5], [1, 0.9], [0, 0.9],
]; // prettier-ignore
const BENCH: Pt[] = [
  [0, 0.3], [1, 0.3], [1, 0.5], [0.92, 0.5], [0.92, 1], [0.85, 1], [0.85, 0.5], [0.15, 0.5], [0.15, 1],
  [0.08, 1], [0.08, 0.5], [0, 0.5],
]; // prettier-ignore
const PLANT: Pt[] = [
  [0.3, 1], [0.7, 1], [0.8, 0.6], [1, 0.2], [0.7, 0.35], [0.5, 0], [0.3, 0.35], [0, 0.2], [0.2, 0.6],
]; // prettier-ignore
const UMBRELLA: Pt[] = [
  [0, 0.5], [0.1, 0.2], [0.5, 0], [0.9, 0.2], [1, 0.5], [0.53, 0.5], [0.53, 1], [0.47, 1], [0.47, 0.5],
]; // prettier-ignore
const CHAIR: Pt[] = [
  [0.1, 0], [0.3, 0], [0.3, 0.5], [1, 0.5], [1, 1], [0.88, 1], [0.88, 0.65], [0.22, 0.65], [0.22, 1],
  [0.1, 1],
]; // prettier-ignore

const flat =
  (palette: readonly (readonly number[])[]) =>
  (x: number, y: number, _w: number, h: number, s: number): [number, number, number] =>
    rgb(pick(palette, s), shade(y, h), grain(x, y, s, 12));

/** The animal shapes by COCO category id (16 bird ... 25 giraffe). */
export const ANIMAL_SHAPES: Readonly<Record<number, Shape>> = {
  16: {
    outline: BIRD,
    aspect: 1.1,
    texture: (x, y, w, h, s) => {
      const c = pick(
        [
          [40, 90, 220],
          [210, 40, 40],
          [240, 200, 30],
        ],
        s,
      );
      const wing = y > 0.42 * h && y < 0.72 * h && x > 0.3 * w && x < 0.78 * w;
      return rgb(c, (wing ? 0.55 : 1) * shade(y, h), grain(x, y, s, 14));
    },
  },
  17: {
    outline: CAT,
    aspect: 0.8,
    texture: (x, y, w, h, s) => {
      const c = pick(
        [
          [220, 130, 50],
          [135, 135, 145],
          [200, 170, 120],
        ],
        s,
      );
      const stripe = Math.sin((x / w) * 2 * Math.PI * 9 + 2 * Math.sin((y / h) * 6)) > 0.45;
      return rgb(c, (stripe ? 0.62 : 1) * shade(y, h), grain(x, y, s, 10));
    },
  },
  18: {
    outline: DOG,
    aspect: 1.3,
    texture: flat([
      [190, 150, 100],
      [120, 80, 45],
      [215, 195, 160],
    ]),
  },
  19: {
    outline: HORSE,
    aspect: 1.3,
    texture: (x, y, w, h, s) => {
      const c = pick(
        [
          [110, 60, 30],
          [80, 45, 25],
          [150, 95, 55],
        ],
        s,
      );
      const shine = 0.25 * Math.exp(-(((x / w - 0.45) / 0.2) ** 2) - ((y / h - 0.4) / 0.1) ** 2);
      return rgb(c, shade(y, h) + shine, grain(x, y, s, 8));
    },
  },
  20: {
    outline: SHEEP,
    aspect: 1.4,
    texture: (x, y, _w, h, s) => rgb([232, 226, 208], shade(y, h), (valueNoise(x, y, 4, s) - 0.5) * 70),
  },
  21: {
    outline: COW,
    aspect: 1.5,
    texture: (x, y, w, h, s) => {
      const patch = valueNoise(x, y, Math.max(8, w / 7), s) > 0.58;
      return rgb(patch ? [28, 26, 24] : [240, 238, 232], shade(y, h), grain(x, y, s, 10));
    },
  },
  22: {
    outline: ELEPHANT,
    aspect: 1.3,
    texture: (x, y, _w, h, s) => {
      const wrinkle = Math.sin(y * 0.9 + 3 * valueNoise(x, y, 12, s)) > 0.7 ? 0.8 : 1;
      return rgb([128, 123, 120], wrinkle * shade(y, h), grain(x, y, s, 10));
    },
  },
  23: {
    outline: BEAR,
    aspect: 1.4,
    texture: (x, y, _w, h, s) =>
      rgb(
        pick(
          [
            [62, 40, 24],
            [34, 30, 28],
            [90, 60, 35],
          ],
          s,
        ),
        shade(y, h),
        grain(x, y, s, 30),
      ),
  },
  24: {
    outline: HORSE,
    aspect: 1.25,
    texture: (x, y, w, h, s) => {
      const period = Math.max(6, w / 14);
      const black = Math.sin(((x + 0.25 * y + 0.08 * w * Math.sin((y / h) * 5)) / period) * 2 * Math.PI) > 0;
      return rgb(black ? [20, 20, 20] : [245, 245, 240], 1, grain(x, y, s, 8));
    },
  },
  25: {
    outline: GIRAFFE,
    aspect: 0.75,
    texture: (x, y, w, h, s) => {
      const cell = Math.max(6, w / 9);
      const cx = Math.floor(x / cell);
      const cy = Math.floor(y / cell);
      const dx = x / cell - cx - 0.3 - 0.4 * hash01(cx, cy, s);
      const dy = y / cell - cy - 0.3 - 0.4 * hash01(cy, cx, s + 1);
      const spot = dx * dx + dy * dy < 0.11;
      return rgb(spot ? [150, 85, 35] : [232, 195, 120], shade(y, h), grain(x, y, s, 8));
    },
  },
};

/** Non-animal shapes by COCO category id: person, car, bench, umbrella, chair, potted plant, teddy bear. */
export const OBJECT_SHAPES: Readonly<Record<number, Shape>> = {
  1: {
    outline: PERSON,
    aspect: 0.4,
    texture: flat([
      [40, 60, 140],
      [180, 40, 60],
      [60, 120, 60],
      [230, 230, 230],
    ]),
  },
  3: {
    outline: CAR,
    aspect: 2.2,
    texture: flat([
      [200, 20, 30],
      [20, 40, 160],
      [220, 220, 225],
      [30, 30, 35],
    ]),
  },
  15: {
    outline: BENCH,
    aspect: 2.5,
    texture: flat([
      [140, 95, 50],
      [90, 90, 95],
    ]),
  },
  28: {
    outline: UMBRELLA,
    aspect: 1.3,
    texture: flat([
      [230, 60, 140],
      [250, 210, 40],
      [40, 40, 40],
    ]),
  },
  62: {
    outline: CHAIR,
    aspect: 0.8,
    texture: flat([
      [150, 100, 60],
      [200, 200, 195],
    ]),
  },
  64: {
    outline: PLANT,
    aspect: 0.8,
    texture: flat([
      [50, 140, 60],
      [90, 160, 70],
    ]),
  },
  // A teddy bear has the bear's outline but is indoor, light and plush: a name search for "bear" finds it.
  88: {
    outline: BEAR,
    aspect: 1.1,
    texture: flat([
      [205, 160, 110],
      [235, 215, 185],
    ]),
  },
};

/** An RGB image being drawn. */
export interface Canvas {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Fill `canvas` with a background that says nothing about the class: outdoor (sky over grass,
 * earth or sand), indoor (wall over floor), or a plain mottled backdrop, chosen by `seed`.
 */
export function drawBackground(canvas: Canvas, seed: number): void {
  const { width: w, height: h, data } = canvas;
  const kind = hash01(seed, 1, 3);
  const horizon = h * (0.35 + 0.35 * hash01(seed, 2, 3));
  let top: number[];
  let bottom: number[];
  if (kind < 0.55) {
    top = [120 + 60 * hash01(seed, 3, 3), 170 + 40 * hash01(seed, 4, 3), 225];
    bottom = pick(
      [
        [80, 130, 60],
        [120, 100, 70],
        [200, 185, 140],
        [60, 105, 50],
      ],
      seed,
    );
  } else if (kind < 0.85) {
    top = [150 + 90 * hash01(seed, 5, 3), 150 + 90 * hash01(seed, 6, 3), 150 + 90 * hash01(seed, 7, 3)];
    bottom = pick(
      [
        [130, 90, 55],
        [110, 110, 115],
        [170, 140, 100],
      ],
      seed,
    );
  } else {
    top = [90 + 120 * hash01(seed, 8, 3), 90 + 120 * hash01(seed, 9, 3), 90 + 120 * hash01(seed, 10, 3)];
    bottom = top;
  }
  // Mottle: value noise from a coarse grid of random node values (computed once per node);
  // grain: a 64×64 tile of random values. Per pixel this is a bilinear mix and a table look-up.
  const cell = Math.max(16, w / 10);
  const gw = Math.ceil(w / cell) + 2;
  const gh = Math.ceil(h / cell) + 2;
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = (hash01(i % gw, Math.floor(i / gw), seed) - 0.5) * 30;
  const tile = new Float32Array(64 * 64);
  for (let i = 0; i < tile.length; i++) tile[i] = (hash01(i, 11, seed) - 0.5) * 10;
  for (let y = 0; y < h; y++) {
    const above = y < horizon;
    const c = above ? top : bottom;
    const f = above ? 0.9 + 0.15 * (y / horizon) : 0.8 + 0.25 * ((y - horizon) / (h - horizon));
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const fy = gy - y0;
    const sy = fy * fy * (3 - 2 * fy);
    const r0 = y0 * gw;
    const r1 = r0 + gw;
    const c0 = c[0] * f;
    const c1 = c[1] * f;
    const c2 = c[2] * f;
    for (let x = 0; x < w; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const fx = gx - x0;
      const sx = fx * fx * (3 - 2 * fx);
      const top0 = grid[r0 + x0] + (grid[r0 + x0 + 1] - grid[r0 + x0]) * sx;
      const bot0 = grid[r1 + x0] + (grid[r1 + x0 + 1] - grid[r1 + x0]) * sx;
      const n = top0 + (bot0 - top0) * sy + tile[((y & 63) << 6) | (x & 63)];
      const o = (y * w + x) * 3;
      data[o] = clamp(c0 + n);
      data[o + 1] = clamp(c1 + n);
      data[o + 2] = clamp(c2 + n);
    }
  }
}

/**
 * Fill the polygon `points` (`[x1, y1, x2, y2, ...]` in image pixels; even-odd rule, a pixel is
 * inside when its centre is) with `shape`'s texture over the box `[bx, by, bw, bh]`; `flip` mirrors
 * the texture with the outline.
 */
export function fillPolygon(
  canvas: Canvas,
  points: readonly number[],
  box: readonly [number, number, number, number],
  shape: Shape,
  seed: number,
  flip: boolean,
): void {
  const { width: w, height: h, data } = canvas;
  const n = points.length / 2;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minY = Math.min(minY, points[2 * i + 1]);
    maxY = Math.max(maxY, points[2 * i + 1]);
  }
  const [bx, by, bw, bh] = box;
  const xs: number[] = [];
  for (let y = Math.max(0, Math.ceil(minY - 0.5)); y <= Math.min(h - 1, Math.floor(maxY - 0.5)); y++) {
    const yc = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const y1 = points[2 * j + 1];
      const y2 = points[2 * i + 1];
      if (y1 <= yc !== y2 <= yc) {
        const x1 = points[2 * j];
        xs.push(x1 + ((yc - y1) * (points[2 * i] - x1)) / (y2 - y1));
      }
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k] - 0.5));
      const to = Math.min(w - 1, Math.ceil(xs[k + 1] - 0.5) - 1);
      for (let x = from; x <= to; x++) {
        const lx = flip ? bx + bw - (x + 0.5) : x + 0.5 - bx;
        const c = shape.texture(lx, yc - by, bw, bh, seed);
        const o = (y * w + x) * 3;
        data[o] = c[0];
        data[o + 1] = c[1];
        data[o + 2] = c[2];
      }
    }
  }
}
