/**
 * Polygon to run-length counts, rasterised exactly as pycocotools does it (`rleFrPoly` in cocoapi
 * `common/maskApi.c`, Simplified BSD), so masks, areas and compressed strings match bit for bit:
 *
 * 1. scale the vertices by 5 and round each to an int (`(int)(5 * x + 0.5)`, truncating toward zero);
 * 2. walk every edge (closing the ring) on that 5x grid, one point per step of its longer axis;
 * 3. keep the points where the walk crosses a column boundary that falls on a pixel centre, and
 *    turn each into "the pixels of this column from row ceil(y) down change state";
 * 4. sort those column-major positions and take differences: the RLE counts.
 *
 * C's int arithmetic is reproduced where it shows: truncation toward zero, not floor, for negative
 * coordinates, and the NaN slope of a zero-length edge (whose point is never used).
 */

const SCALE = 5;

/**
 * Counts (column-major, starting with a run of 0s) of the mask of one polygon `[x1, y1, x2, y2, ...]`
 * in an `h` x `w` image. An odd trailing coordinate is ignored, as pycocotools does.
 * @example polygonCounts([0, 0, 4, 0, 4, 4], 5, 5) // Uint32Array [...]
 */
export function polygonCounts(xy: ArrayLike<number>, h: number, w: number): Uint32Array {
  const k = Math.floor(xy.length / 2);
  const x = new Int32Array(k + 1);
  const y = new Int32Array(k + 1);
  for (let j = 0; j < k; j++) {
    x[j] = toInt(SCALE * xy[2 * j] + 0.5);
    y[j] = toInt(SCALE * xy[2 * j + 1] + 0.5);
  }
  x[k] = x[0];
  y[k] = y[0];

  // Dense points along the boundary on the upsampled grid.
  let m = 0;
  for (let j = 0; j < k; j++) m += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1;
  const u = new Int32Array(m);
  const v = new Int32Array(m);
  m = 0;
  for (let j = 0; j < k; j++) {
    let xs = x[j];
    let xe = x[j + 1];
    let ys = y[j];
    let ye = y[j + 1];
    const dx = Math.abs(xe - xs);
    const dy = Math.abs(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      [xs, xe] = [xe, xs];
      [ys, ye] = [ye, ys];
    }
    const s = dx >= dy ? (ye - ys) / dx : (xe - xs) / dy;
    if (dx >= dy) {
      for (let d = 0; d <= dx; d++) {
        const t = flip ? dx - d : d;
        u[m] = t + xs;
        v[m] = toInt(ys + s * t + 0.5);
        m++;
      }
    } else {
      for (let d = 0; d <= dy; d++) {
        const t = flip ? dy - d : d;
        v[m] = t + ys;
        u[m] = toInt(xs + s * t + 0.5);
        m++;
      }
    }
  }

  // Column-boundary crossings at pixel centres, downsampled to column-major pixel positions.
  const positions: number[] = [];
  for (let j = 1; j < m; j++) {
    if (u[j] === u[j - 1]) continue;
    let xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
    xd = (xd + 0.5) / SCALE - 0.5;
    if (Math.floor(xd) !== xd || xd < 0 || xd > w - 1) continue;
    let yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
    yd = (yd + 0.5) / SCALE - 0.5;
    if (yd < 0) yd = 0;
    else if (yd > h) yd = h;
    yd = Math.ceil(yd);
    positions.push((xd * h + yd) >>> 0);
  }
  positions.push((h * w) >>> 0);
  const a = Uint32Array.from(positions).sort();

  // Differences, folding each zero-length run into the next one.
  let previous = 0;
  for (let j = 0; j < a.length; j++) {
    const t = a[j];
    a[j] -= previous;
    previous = t;
  }
  const b = new Uint32Array(a.length);
  let n = 0;
  let j = 0;
  b[n++] = a[j++];
  while (j < a.length) {
    if (a[j] > 0) b[n++] = a[j++];
    else {
      j++;
      if (j < a.length) b[n - 1] += a[j++];
    }
  }
  return b.slice(0, n);
}

/** C's `(int)d` on x86-64: truncation toward zero; NaN and out-of-range give INT_MIN. */
function toInt(d: number): number {
  if (!(d > -2147483649 && d < 2147483648)) return -2147483648;
  return Math.trunc(d);
}
