/**
 * Benchmark: resize + JPEG re-encode of a folder of photographs, sharp (ours) against Pillow 13.0 (the
 * workshop's PIL/torchvision loop, bench/resize_pillow.py in the project's .venv).
 *
 *   node dist/bench/resize.js [--runs 3] [--images 300]
 *
 * Input: 300 photograph-like JPEGs 640 px wide (gradients, soft shapes, texture and sensor-like
 * noise, quality 90, deterministic, seed per image), generated once into out/bench/resize/photos.
 * Heights follow COCO's common 640-wide shapes: 480 (4 in 10), 427, 425, 426, 424, 360 and 640.
 * Task: shorter side to 224 (torchvision's `Resize(224)` size rule), bilinear, JPEG quality 90, 4:2:0.
 *
 * Each configuration runs `--runs` times; the median images/s and CPU ms per image (user + system, all
 * threads/processes: the figure a busy machine disturbs least) are printed, then the ratios against
 * Pillow in one process (goal >= 2) and Pillow with a process per core (goal > 1). The sharp
 * configurations go from sharp's defaults to the engine's settings one change at a time, so each line
 * says what that change bought. Also printed: the load average (the machine may be shared) and the
 * mean absolute pixel difference between our outputs and Pillow's (same sizes, so same work).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import sharp from "sharp";
import { preprocessImages } from "../src/image/preprocess";
import { jpegOptions, shorterSideSize } from "../src/image/transforms";
import { mulberry32 } from "../src/util/prng";
import { projectPath } from "../src/util/paths";

const arg = (name: string, fallback: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback;

const ROOT = projectPath("out", "bench", "resize");
const PHOTOS = path.join(ROOT, "photos");
const HEIGHTS = [480, 427, 480, 425, 360, 480, 426, 640, 480, 424];
const SIZE = 224;
const QUALITY = 90;

/** One photograph-like 640-wide RGB image, deterministic for `seed`. */
async function photo(seed: number, height: number): Promise<Buffer> {
  const rand = mulberry32(seed * 7919 + 1);
  const w = 640;
  const h = height;
  const px = new Float32Array(w * h * 3);
  // Sky-to-ground gradient with a random horizon and tint.
  const horizon = h * (0.3 + 0.4 * rand());
  const top = [80 + 120 * rand(), 120 + 100 * rand(), 180 + 70 * rand()];
  const ground = [60 + 100 * rand(), 50 + 90 * rand(), 20 + 60 * rand()];
  for (let y = 0; y < h; y++) {
    const t = y < horizon ? y / horizon : 1;
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      for (let c = 0; c < 3; c++)
        px[i + c] =
          y < horizon ? top[c] * (1 - 0.4 * t) + 40 * t : ground[c] * (0.7 + (0.6 * (y - horizon)) / (h - horizon));
    }
  }
  // Soft-edged ellipses and rectangles with their own shading (the "objects").
  const shapes = 6 + Math.floor(rand() * 8);
  for (let s = 0; s < shapes; s++) {
    const cx = rand() * w;
    const cy = rand() * h;
    const rx = 20 + rand() * 150;
    const ry = 20 + rand() * 120;
    const col = [rand() * 255, rand() * 255, rand() * 255];
    const ellipse = rand() < 0.6;
    for (let y = Math.max(0, Math.floor(cy - ry - 3)); y < Math.min(h, cy + ry + 3); y++) {
      for (let x = Math.max(0, Math.floor(cx - rx - 3)); x < Math.min(w, cx + rx + 3); x++) {
        const dx = (x - cx) / rx;
        const dy = (y - cy) / ry;
        const d = ellipse ? Math.sqrt(dx * dx + dy * dy) : Math.max(Math.abs(dx), Math.abs(dy));
        const a = Math.min(1, Math.max(0, (1 - d) * 25)); // about 2 px of anti-aliased edge
        if (a <= 0) continue;
        const shade = 0.75 + 0.35 * (1 - dy) * 0.5;
        const i = (y * w + x) * 3;
        for (let c = 0; c < 3; c++) px[i + c] = px[i + c] * (1 - a) + col[c] * shade * a;
      }
    }
  }
  // Texture (a few sine ripples) and grain (sum of three uniforms, sigma about 10).
  const fx = 0.02 + 0.1 * rand();
  const fy = 0.02 + 0.1 * rand();
  const out = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const tex = 10 * Math.sin(x * fx + 3 * Math.sin(y * fy)) * Math.sin(y * fy * 1.7);
      const i = (y * w + x) * 3;
      for (let c = 0; c < 3; c++)
        out[i + c] = Math.max(0, Math.min(255, Math.round(px[i + c] + tex + (rand() + rand() + rand() - 1.5) * 20)));
    }
  }
  return sharp(out, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function ensurePhotos(n: number): Promise<string[]> {
  fs.mkdirSync(PHOTOS, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = path.join(PHOTOS, `photo_${String(i).padStart(4, "0")}.jpg`);
    if (!fs.existsSync(file)) {
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, await photo(i, HEIGHTS[i % HEIGHTS.length]));
      fs.renameSync(tmp, file);
    }
    files.push(file);
  }
  return files;
}

type Runner = (files: string[], outDir: string) => Promise<void>;

interface SharpSettings {
  kernel: "lanczos3" | "linear";
  encoder: "default" | "plain";
  inFlight: number;
  concurrency?: number;
  cache: boolean;
  fastShrinkOnLoad: boolean;
}

/** A hand-written sharp loop with the given settings (the steps from defaults to the engine's). */
function sharpLoop(s: SharpSettings): Runner {
  return async (files, outDir) => {
    const savedConcurrency = sharp.concurrency();
    sharp.concurrency(s.concurrency ?? os.availableParallelism());
    sharp.cache(s.cache ? { memory: 50, files: 20, items: 100 } : false);
    try {
      let next = 0;
      const lane = async () => {
        while (next < files.length) {
          const f = files[next++];
          const meta = await sharp(f).metadata();
          const t = shorterSideSize(meta.width!, meta.height!, SIZE);
          await sharp(f)
            .resize(t.width, t.height, { fit: "fill", kernel: s.kernel, fastShrinkOnLoad: s.fastShrinkOnLoad })
            .jpeg(s.encoder === "default" ? { quality: QUALITY } : jpegOptions(QUALITY))
            .toFile(path.join(outDir, path.basename(f)));
        }
      };
      await Promise.all(Array.from({ length: s.inFlight }, lane));
    } finally {
      sharp.concurrency(savedConcurrency);
      sharp.cache({ memory: 50, files: 20, items: 100 });
    }
  };
}

/** The engine in this process. */
const engine: Runner = async (files, outDir) => {
  await preprocessImages(files, outDir, { size: SIZE, quality: QUALITY });
};

/** The engine one image at a time: its CPU per image against Pillow's plain loop, cores aside. */
const engineOneAtATime: Runner = async (files, outDir) => {
  await preprocessImages(files, outDir, { size: SIZE, quality: QUALITY, inFlight: 1 });
};

/** The engine without its half-size JPEG decode (a full-size bilinear resize, like Pillow's). */
const engineFullDecode: Runner = async (files, outDir) => {
  await preprocessImages(files, outDir, { size: SIZE, quality: QUALITY, shrinkOnLoad: false });
};

/** The engine in one worker thread per core, each on an interleaved share of the files. */
const enginePerCore: Runner = async (files, outDir) => {
  const n = os.availableParallelism();
  await Promise.all(
    Array.from(
      { length: n },
      (_, k) =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(__filename, { workerData: { files: files.filter((_, i) => i % n === k), outDir } });
          w.once("message", () => resolve());
          w.once("error", reject);
          w.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
        }),
    ),
  );
};

let pillowVersion = "";

interface Measure {
  ips: number;
  cpuMs: number;
}

function pillow(procs: number, outDir: string): Measure {
  const py = projectPath(".venv", "bin", "python");
  const out = execFileSync(py, [projectPath("bench", "resize_pillow.py"), PHOTOS, outDir, "--procs", String(procs)], {
    encoding: "utf8",
  });
  const r = JSON.parse(out) as { imagesPerSecond: number; cpuMsPerImage: number; pillow: string };
  pillowVersion = r.pillow;
  return { ips: r.imagesPerSecond, cpuMs: r.cpuMsPerImage };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function freshDir(name: string): string {
  const dir = path.join(ROOT, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Mean absolute difference per channel value between two folders of same-sized JPEGs. */
async function meanAbsDiff(a: string, b: string, files: string[]): Promise<number> {
  let sum = 0;
  let count = 0;
  for (const f of files.slice(0, 30)) {
    const [x, y] = await Promise.all(
      [a, b].map((d) =>
        sharp(path.join(d, path.basename(f)))
          .raw()
          .toBuffer({ resolveWithObject: true }),
      ),
    );
    if (x.info.width !== y.info.width || x.info.height !== y.info.height)
      throw new Error(`size differs for ${f}: ${x.info.width}×${x.info.height} vs ${y.info.width}×${y.info.height}`);
    for (let i = 0; i < x.data.length; i++) sum += Math.abs(x.data[i] - y.data[i]);
    count += x.data.length;
  }
  return sum / count;
}

async function main(): Promise<void> {
  const runs = Number(arg("--runs", "3"));
  const files = await ensurePhotos(Number(arg("--images", "300")));
  const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  const cores = os.availableParallelism();
  console.log(
    `resize bench: ${files.length} JPEGs 640 px wide (${(bytes / files.length / 1024).toFixed(0)} KiB mean) → shorter side ${SIZE}, bilinear, q${QUALITY}; ${runs} runs each, medians; ${cores} cores, ${os.cpus()[0].model}`,
  );
  console.log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  // Warm the page cache and both runtimes once.
  pillow(1, freshDir("warm-pillow"));
  await engine(files, freshDir("warm-ours"));

  const base: SharpSettings = {
    kernel: "lanczos3",
    encoder: "default",
    inFlight: 1,
    cache: true,
    fastShrinkOnLoad: true,
  };
  const configs: [string, Runner][] = [
    ["sharp defaults, one at a time (lanczos3, optimised Huffman)", sharpLoop(base)],
    ["+ linear (bilinear) kernel", sharpLoop({ ...base, kernel: "linear" })],
    ["+ plain encoder (no optimiseCoding/mozjpeg, 4:2:0)", sharpLoop({ ...base, kernel: "linear", encoder: "plain" })],
    ["+ 8 in flight", sharpLoop({ ...base, kernel: "linear", encoder: "plain", inFlight: 8 })],
    [
      "+ libvips concurrency 1",
      sharpLoop({ ...base, kernel: "linear", encoder: "plain", inFlight: 8, concurrency: 1 }),
    ],
    [
      "+ cache off",
      sharpLoop({ ...base, kernel: "linear", encoder: "plain", inFlight: 8, concurrency: 1, cache: false }),
    ],
    [
      "  (same, sharp's fastShrinkOnLoad off: no effect at 640 → 224)",
      sharpLoop({
        ...base,
        kernel: "linear",
        encoder: "plain",
        inFlight: 8,
        concurrency: 1,
        cache: false,
        fastShrinkOnLoad: false,
      }),
    ],
    ["engine, one image at a time (inFlight: 1)", engineOneAtATime],
    ["engine, full-size decode (shrinkOnLoad: false)", engineFullDecode],
    ["engine preprocessImages, one process", engine],
    [`engine, one worker thread per core (${cores})`, enginePerCore],
  ];
  const results = new Map<string, Measure[]>();
  const pillow1: Measure[] = [];
  const pillowN: Measure[] = [];
  for (let r = 0; r < runs; r++) {
    pillow1.push(pillow(1, freshDir("pillow")));
    for (const [name, run] of configs) {
      const out = freshDir("sharp");
      const t0 = process.hrtime.bigint();
      const cpu0 = process.cpuUsage(); // all threads of this process (libuv pool, workers)
      await run(files, out);
      const cpu = process.cpuUsage(cpu0);
      const ips = files.length / (Number(process.hrtime.bigint() - t0) / 1e9);
      results.set(name, [...(results.get(name) ?? []), { ips, cpuMs: (cpu.user + cpu.system) / 1000 / files.length }]);
    }
    pillowN.push(pillow(cores, freshDir("pillow-n")));
  }
  const ips = (ms: Measure[]) => median(ms.map((m) => m.ips));
  const cpuMs = (ms: Measure[]) => median(ms.map((m) => m.cpuMs));
  const p1 = ips(pillow1);
  const pn = ips(pillowN);
  // CPU ms per image is what the machine's load disturbs least: cores × 1000 / it bounds images/s.
  const fmt = (ms: Measure[]) =>
    `${ips(ms).toFixed(0).padStart(5)} img/s [${ms.map((m) => m.ips.toFixed(0)).join(", ")}]` +
    `  ${cpuMs(ms).toFixed(2)} CPU ms/img`;
  console.log(`Pillow ${pillowVersion}, one process`.padEnd(60) + fmt(pillow1));
  console.log(`Pillow, ${cores} processes`.padEnd(60) + fmt(pillowN));
  for (const [name, ms] of results) {
    console.log(
      `${name}`.padEnd(60) +
        fmt(ms) +
        `  ×${(ips(ms) / p1).toFixed(2)} / ×${(ips(ms) / pn).toFixed(2)} vs Pillow 1 / ${cores} procs`,
    );
  }
  const one = results.get("engine preprocessImages, one process")!;
  const perCore = results.get(`engine, one worker thread per core (${cores})`)!;
  console.log(`ratio one process: ours/Pillow = ${(ips(one) / p1).toFixed(2)} (goal >= 2)`);
  console.log(
    `ratio per core: ours (${cores} worker threads)/Pillow (${cores} processes) = ${(ips(perCore) / pn).toFixed(2)}; ` +
      `ours (one process, all cores)/Pillow (${cores} processes) = ${(ips(one) / pn).toFixed(2)} (goal > 1)`,
  );
  console.log(
    `CPU per image: ours ${cpuMs(one).toFixed(2)} ms, Pillow ${cpuMs(pillow1).toFixed(2)} ms → ceiling on ${cores} cores ` +
      `${((cores * 1000) / cpuMs(one)).toFixed(0)} vs Pillow ${((cores * 1000) / cpuMs(pillow1)).toFixed(0)} img/s`,
  );
  // Same work: our outputs against Pillow's (same sizes; bilinear kernels and encoders differ slightly).
  const ours = freshDir("sharp");
  await engine(files, ours);
  console.log(
    `mean |ours − Pillow| per channel value (30 images): ${(await meanAbsDiff(ours, path.join(ROOT, "pillow"), files)).toFixed(2)} of 255`,
  );
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  const { files, outDir } = workerData as { files: string[]; outDir: string };
  engine(files, outDir).then(() => parentPort!.postMessage("done"));
}
