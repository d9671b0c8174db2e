/**
 * The classes of the generated COCO-format dataset (`synthetic-coco.ts`): a hand-drawn outline per
 * class (one simple polygon in a unit box, facing right) and a texture per class, a pure function of
 * the pixel position and an instance seed.
 *
 * Class signatures (what a classifier can learn): bird small blue/red/yellow with a dark wing;
 * cat sitting with pointed ears, tabby stripes; dog tan/brown with a raised tail; horse chestnut
 * with a shine; sheep a cream scalloped fleece; cow white with black patches; elephant grey with
 * wrinkles and a trunk; bear dark brown, rounded; zebra bold black and white stripes; giraffe tall
 * neck, brown patches on tan. Non-animal objects (person, car, bench, ...) are flat colours.
 */
import { clamp, hash01, pick, valueNoise, type Pt, type Shape } from "./synthetic-draw";

function rgb(c: readonly number[], f: number, noise = 0): [number, number, number] {
  return [clamp(c[0] * f + noise), clamp(c[1] * f + noise), clamp(c[2] * f + noise)];
}
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
