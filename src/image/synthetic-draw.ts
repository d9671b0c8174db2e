/**
 * The drawing side of the generated COCO-format dataset (`synthetic-coco.ts`): seeded noise,
 * backgrounds that carry no class information, and a scanline rasterizer filling a polygon with a
 * class texture (`synthetic-shapes.ts`) into an RGB buffer. Everything is a pure function of its
 * numeric arguments, so the same seed gives the same pixels.
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

/** A channel value limited to 0-255 (not rounded). */
export const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/** One of `palette`, chosen by a seed. */
export const pick = <T>(palette: readonly T[], s: number): T => palette[Math.floor(hash01(s, 7, 99) * palette.length)];

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
