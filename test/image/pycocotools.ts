/**
 * Test helpers for the COCO API: ask Python pycocotools 2.0.11 (the project's .venv, pinned in
 * python/requirements-test.txt) the same questions through test/fixtures/coco/pycocotools_reference.py,
 * and build generated annotation files with the cases pycocotools' rasteriser is sensitive to.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { projectPath } from "../../src/util/paths";
import { mulberry32 } from "../../src/util/prng";
import type { Mask } from "../../src/image/rle";

export const PYTHON = projectPath(".venv", "bin", "python");
export const FIXTURES = projectPath("test", "fixtures", "coco");
export const SMALL = path.join(FIXTURES, "instances_val2017_small.json");
export const ONE_IMAGE = path.join(FIXTURES, "instances_val2017_1img-sample.json");

/** A fresh temp dir. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "coco-test-"));
}

/**
 * pycocotools' answers to `requests` (see the script for the ops), one per request; an answer may be
 * `{error}`. Fails (never skips) with install advice when python or pycocotools is missing.
 */
export function pycocotools(annotationFile: string, requests: object[]): any[] {
  if (!fs.existsSync(PYTHON)) {
    throw new Error(
      `python is missing: ${PYTHON} (expected the project env with pycocotools 2.0.11; run \`npm test\` once, or \`python3 -m venv .venv && .venv/bin/pip install -r python/requirements-test.txt\`)`,
    );
  }
  const dir = tempDir();
  const file = path.join(dir, "requests.json");
  fs.writeFileSync(file, JSON.stringify(requests));
  try {
    const out = execFileSync(PYTHON, [path.join(FIXTURES, "pycocotools_reference.py"), annotationFile, file], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return JSON.parse(out) as any[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A mask as the reference script takes it (row-major bytes, base64). */
export function maskRequest(op: string, mask: Mask): object {
  return { op, h: mask.height, w: mask.width, data: Buffer.from(mask.data).toString("base64") };
}

/** Random masks: blobs, stripes, empty, full, single pixels, runs across columns; seeded. */
export function randomMasks(seed: number, count: number): Mask[] {
  const rand = mulberry32(seed);
  const masks: Mask[] = [];
  for (let k = 0; k < count; k++) {
    const height = 1 + Math.floor(rand() * 40);
    const width = 1 + Math.floor(rand() * 40);
    const data = new Uint8Array(height * width);
    const kind = k % 6;
    if (kind === 1) data.fill(1);
    else if (kind === 2) data[Math.floor(rand() * data.length)] = 1;
    else if (kind === 3) {
      // a blob
      const [cx, cy, r] = [rand() * width, rand() * height, 1 + rand() * 12];
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) data[y * width + x] = (x - cx) ** 2 + (y - cy) ** 2 < r * r ? 1 : 0;
    } else if (kind === 4) {
      // full rows: foreground runs that cross columns in column-major order
      const y0 = Math.floor(rand() * height);
      for (let y = y0; y < Math.min(height, y0 + 1 + Math.floor(rand() * 3)); y++)
        data.fill(1, y * width, (y + 1) * width);
    } else if (kind === 5) {
      for (let i = 0; i < data.length; i++) data[i] = rand() < 0.3 ? 1 : 0;
    }
    masks.push({ height, width, data });
  }
  return masks;
}

/** A random uncompressed RLE of size h x w with `runs` runs (the first may be 0). */
export function randomUncompressed(
  rand: () => number,
  h: number,
  w: number,
  runs: number,
): { size: [number, number]; counts: number[] } {
  const cuts = new Set<number>();
  while (cuts.size < runs - 1) cuts.add(Math.floor(rand() * h * w));
  const sorted = [...cuts].sort((a, b) => a - b);
  const counts: number[] = [];
  let previous = 0;
  for (const c of [...sorted, h * w]) {
    counts.push(c - previous);
    previous = c;
  }
  return { size: [h, w], counts };
}

/**
 * A generated COCO instances file with the polygon cases pycocotools' rasteriser is sensitive to:
 * vertices on the 1/5-pixel rounding boundaries, negative and out-of-image coordinates, sub-pixel and
 * self-intersecting polygons, repeated vertices, several parts, crowds with uncompressed RLE whose
 * stored area and box differ from their masks.
 */
export function generatedDataset(seed = 7): any {
  const rand = mulberry32(seed);
  const sizes = [
    [37, 53],
    [120, 80],
    [480, 640],
    [1, 1],
    [9, 300],
    [233, 17],
  ];
  const images = sizes.map(([height, width], i) => ({ id: 100 + i * 7, width, height, file_name: `gen-${i}.jpg` }));
  const categories = [
    { id: 1, name: "person", supercategory: "person" },
    { id: 16, name: "bird", supercategory: "animal" },
    { id: 18, name: "dog", supercategory: "animal" },
    { id: 90, name: "toothbrush", supercategory: "indoor" },
  ];
  const annotations: any[] = [];
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const add = (img: (typeof images)[number], segmentation: any, extra: object = {}) => {
    const id = 1000 + annotations.length;
    const cat = categories[annotations.length % categories.length].id;
    annotations.push({
      segmentation,
      area: r2(rand() * 5000),
      iscrowd: 0,
      image_id: img.id,
      bbox: [1, 2, 3, 4],
      category_id: cat,
      id,
      ...extra,
    });
  };
  for (const img of images) {
    const { width: w, height: h } = img;
    const star = (n: number, spill: number) => {
      const [cx, cy, r] = [rand() * w, rand() * h, 0.3 + rand() * Math.max(w, h) * 0.4];
      const p: number[] = [];
      for (let k = 0; k < n; k++) {
        const t = ((k + rand() * 0.9) / n) * 2 * Math.PI;
        const rr = r * (0.3 + 0.7 * rand()) * (1 + spill);
        p.push(r2(cx + rr * Math.cos(t)), r2(cy + rr * Math.sin(t)));
      }
      return p;
    };
    for (let k = 0; k < 6; k++) add(img, [star(3 + Math.floor(rand() * 40), 0)]);
    add(img, [star(12, 0.8)]); // spills outside the image
    add(img, [star(5, 0), star(7, 0), star(20, 0.5)]); // several parts
    // vertices on tenths: 5x + 0.5 lands on .0 and .5 boundaries
    const tenth = () => Math.floor(rand() * (w + 2) * 10) / 10 - 1;
    const tenthY = () => Math.floor(rand() * (h + 2) * 10) / 10 - 1;
    add(img, [[tenth(), tenthY(), tenth(), tenthY(), tenth(), tenthY(), tenth(), tenthY()]]);
    add(img, [[-3.7, -2.1, w + 4.3, -0.9, w / 2, h + 3.3]]); // negative coordinates: trunc, not floor
    add(img, [[0.1, 0.1, 0.3, 0.1, 0.2, 0.3]]); // sub-pixel
    add(img, [[0, 0, w, h, w, 0, 0, h]]); // bow tie
    add(img, [[1, 1, 1, 1, w - 1, 1, w - 1, 1, w / 2, h - 1, w / 2, h - 1]]); // repeated vertices
    add(img, [[0, 0, w, 0, w, h, 0, h]]); // the whole image
    add(img, randomUncompressed(rand, h, w, 1 + Math.floor(rand() * Math.min(h * w, 60))), {
      iscrowd: 1,
      area: 12345,
      bbox: [0.5, 0.5, 1, 1],
    });
  }
  return {
    info: { description: "generated by test/image/pycocotools.ts" },
    images: [...images, { id: 999, width: 50, height: 40, file_name: "no-annotations.jpg" }],
    annotations,
    categories,
  };
}
