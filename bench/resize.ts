/**
 * Benchmark: resize + JPEG re-encode of a folder of photographs, sharp (ours, `preprocessImages`) against
 * Pillow 13 (the workshop's PIL/torchvision loop, bench/resize_pillow.py in the project's .venv).
 *
 *   node dist/bench/resize.js [--runs 3] [--images 300] [--no-stages] [--ladder]
 *
 * Input: 300 photograph-like JPEGs 640 px wide (gradients, soft shapes, texture and sensor-like
 * noise, quality 90, deterministic, seed per image), generated once into out/bench/resize/photos.
 * Heights follow COCO's common 640-wide shapes: 480 (4 in 10), 427, 425, 426, 424, 360 and 640.
 * Task: shorter side to 224 (torchvision's `Resize(224)` size rule), bilinear, JPEG quality 90, 4:2:0,
 * standard Huffman tables: same output sizes and the same encoder settings on both sides.
 *
 * Two comparisons, because the engine's default decodes 640×480 JPEGs at half size in the DCT
 * (`shrinkOnLoad`) and the workshop's Pillow loop does not:
 * - like for like, full decode: the engine with `shrinkOnLoad: false` against the workshop's loop;
 * - like for like, DCT shrink: the engine's default against Pillow with `Image.draft` (same 1/2 decode).
 * Each is run in one process (the engine keeps several images in flight on all cores; Pillow's loop uses
 * one core) and with a process per core (child processes with an interleaved share of the files each, as
 * Pillow's multiprocessing pool). All configurations are interleaved within each of `--runs` runs; the
 * medians of images/s and CPU ms per image (user + system, all threads; the figure a busy machine
 * disturbs least) are printed, then the ratios. With N cores, ours/Pillow-one-process can reach 2 only if
 * our CPU per image is at most Pillow's, and ours/Pillow-N-processes can pass 1 only if it is less: the
 * CPU lines say whether the goal is within reach, whatever the machine's load.
 *
 * `--stages` (default on) prints the CPU ms per image of each stage on both sides, files in memory, one
 * image at a time: decode, decode + resize, encode, the full pipeline, and sharp's fixed cost per call
 * (the same pipeline on an 8×8 image), and the photos with an embedded ICC profile, with and without
 * colour management (the engine ignores the profile, as Pillow's loop does). `--ladder` also runs
 * hand-written sharp loops from sharp's defaults to the engine's settings one change at a time (what
 * each setting bought).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync, spawn } from "node:child_process";
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

interface Measure {
  ips: number;
  cpuMs: number;
}

type Runner = (files: string[], outDir: string) => Promise<Measure>;

/** Time and CPU of `run` in this process (all its threads: libuv pool, libvips workers). */
async function inProcess(files: string[], run: () => Promise<void>): Promise<Measure> {
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  await run();
  const cpu = process.cpuUsage(cpu0);
  return {
    ips: files.length / (Number(process.hrtime.bigint() - t0) / 1e9),
    cpuMs: (cpu.user + cpu.system) / 1000 / files.length,
  };
}

/** The engine in this process, several images in flight over all cores. */
const engine =
  (shrinkOnLoad: boolean): Runner =>
  (files, outDir) =>
    inProcess(files, async () => {
      await preprocessImages(files, outDir, { size: SIZE, quality: QUALITY, shrinkOnLoad });
    });

/**
 * The engine in one child process per core, each on an interleaved share of the files (as Pillow's pool).
 * Time runs from the first spawn to the last exit (Node start-up included, as Pillow's pool start-up);
 * CPU is what each child measured around its work (its start-up left out).
 */
const enginePerCore =
  (shrinkOnLoad: boolean, inFlight?: number, env: NodeJS.ProcessEnv = {}): Runner =>
  async (files, outDir) => {
    const n = os.availableParallelism();
    const t0 = process.hrtime.bigint();
    const cpuMs = await Promise.all(
      Array.from({ length: n }, (_, k) => {
        const share = path.join(ROOT, `share-${k}.json`);
        fs.writeFileSync(
          share,
          JSON.stringify({ files: files.filter((_, i) => i % n === k), outDir, shrinkOnLoad, inFlight }),
        );
        return new Promise<number>((resolve, reject) => {
          const child = spawn(process.execPath, [__filename, "--child", share], {
            env: { ...process.env, ...env },
            stdio: ["ignore", "pipe", "inherit"],
          });
          let out = "";
          child.stdout.on("data", (d: Buffer) => (out += d.toString()));
          child.once("error", reject);
          child.once("exit", (code) =>
            code === 0
              ? resolve((JSON.parse(out) as { cpuMs: number }).cpuMs)
              : reject(new Error(`child exited ${code}`)),
          );
        });
      }),
    );
    return {
      ips: files.length / (Number(process.hrtime.bigint() - t0) / 1e9),
      cpuMs: cpuMs.reduce((a, b) => a + b, 0) / files.length,
    };
  };

async function child(shareFile: string): Promise<void> {
  const { files, outDir, shrinkOnLoad, inFlight } = JSON.parse(fs.readFileSync(shareFile, "utf8")) as {
    files: string[];
    outDir: string;
    shrinkOnLoad: boolean;
    inFlight?: number;
  };
  const cpu0 = process.cpuUsage();
  await preprocessImages(files, outDir, { size: SIZE, quality: QUALITY, shrinkOnLoad, inFlight });
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 }));
}

interface SharpSettings {
  kernel: "lanczos3" | "linear";
  encoder: "default" | "plain";
  inFlight: number;
  concurrency?: number;
  cache: boolean;
}

/** A hand-written sharp loop with the given settings (`--ladder`: from sharp's defaults to the engine's). */
function sharpLoop(s: SharpSettings): Runner {
  return (files, outDir) =>
    inProcess(files, async () => {
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
              .resize(t.width, t.height, { fit: "fill", kernel: s.kernel })
              .jpeg(s.encoder === "default" ? { quality: QUALITY } : jpegOptions(QUALITY))
              .toFile(path.join(outDir, path.basename(f)));
          }
        };
        await Promise.all(Array.from({ length: s.inFlight }, lane));
      } finally {
        sharp.concurrency(savedConcurrency);
        sharp.cache({ memory: 50, files: 20, items: 100 });
      }
    });
}

let pillowVersion = "";

function pillow(procs: number, draft: boolean): Runner {
  return async (_files, outDir) => {
    const py = projectPath(".venv", "bin", "python");
    const args = [projectPath("bench", "resize_pillow.py"), PHOTOS, outDir, "--procs", String(procs)];
    const out = execFileSync(py, draft ? [...args, "--draft"] : args, { encoding: "utf8" });
    const r = JSON.parse(out) as { imagesPerSecond: number; cpuMsPerImage: number; pillow: string };
    pillowVersion = r.pillow;
    return { ips: r.imagesPerSecond, cpuMs: r.cpuMsPerImage };
  };
}

/** sharp's stages, files in memory, one image at a time, libvips as the engine sets it (concurrency 1, no cache). */
async function sharpStages(files: string[], reps: number): Promise<Record<string, number>> {
  const bufs = files.map((f) => fs.readFileSync(f));
  const jpeg = jpegOptions(QUALITY);
  const sizes = await Promise.all(bufs.map((b) => sharp(b).metadata()));
  const t = sizes.map((m) => shorterSideSize(m.width!, m.height!, SIZE));
  const resized = await Promise.all(
    bufs.map((b, i) =>
      sharp(b)
        .resize(t[i].width, t[i].height, { fit: "fill", kernel: "linear" })
        .raw()
        .toBuffer({ resolveWithObject: true }),
    ),
  );
  const tinyRaw = { width: 8, height: 8, channels: 3 as const };
  const tiny = await sharp(Buffer.alloc(8 * 8 * 3, 128), { raw: tinyRaw })
    .jpeg(jpeg)
    .toBuffer();
  const half = (i: number) => `${files[i]}[shrink=2]`;
  // The same files with a Display P3 profile (APP2 ICC_PROFILE segments) inserted after SOI.
  const p3 = await sharp(tiny).withIccProfile("p3").jpeg(jpeg).toBuffer();
  const app2: Buffer[] = [];
  for (let i = 2; p3[i] === 0xff && p3[i + 1] !== 0xda; i += 2 + p3.readUInt16BE(i + 2)) {
    if (p3[i + 1] === 0xe2) app2.push(p3.subarray(i, i + 2 + p3.readUInt16BE(i + 2)));
  }
  const tagged = bufs.map((b) => Buffer.concat([b.subarray(0, 2), ...app2, b.subarray(2)]));
  const stages: [string, (i: number) => Promise<unknown>][] = [
    ["decode (to raw pixels)", (i) => sharp(bufs[i]).raw().toBuffer()],
    ["decode, DCT 1/2 (file path [shrink=2])", (i) => sharp(half(i)).raw().toBuffer()],
    [
      "decode + resize",
      (i) => sharp(bufs[i]).resize(t[i].width, t[i].height, { fit: "fill", kernel: "linear" }).raw().toBuffer(),
    ],
    ["encode (from the resized pixels)", (i) => sharp(resized[i].data, { raw: resized[i].info }).jpeg(jpeg).toBuffer()],
    [
      "full, in memory",
      (i) => sharp(bufs[i]).resize(t[i].width, t[i].height, { fit: "fill", kernel: "linear" }).jpeg(jpeg).toBuffer(),
    ],
    [
      "full, DCT 1/2 (file path [shrink=2])",
      (i) => sharp(half(i)).resize(t[i].width, t[i].height, { fit: "fill", kernel: "linear" }).jpeg(jpeg).toBuffer(),
    ],
    [
      "full, in memory, P3 profile embedded, colour-managed",
      (i) => sharp(tagged[i]).resize(t[i].width, t[i].height, { fit: "fill", kernel: "linear" }).jpeg(jpeg).toBuffer(),
    ],
    [
      "full, in memory, P3 profile embedded, ignoreIcc (ours)",
      (i) =>
        sharp(tagged[i], { ignoreIcc: true })
          .resize(t[i].width, t[i].height, { fit: "fill", kernel: "linear" })
          .jpeg(jpeg)
          .toBuffer(),
    ],
    [
      "fixed cost: the same pipeline on an 8×8 JPEG",
      () => sharp(tiny).resize(4, 4, { fit: "fill", kernel: "linear" }).jpeg(jpeg).toBuffer(),
    ],
    ["  of which JPEG decode + encode, no resize (8×8)", () => sharp(tiny).jpeg(jpeg).toBuffer()],
  ];
  const savedConcurrency = sharp.concurrency();
  sharp.concurrency(1);
  sharp.cache(false);
  const result: Record<string, number> = {};
  try {
    for (const [name, fn] of stages) {
      for (let i = 0; i < Math.min(20, files.length); i++) await fn(i);
      const runs: number[] = [];
      for (let r = 0; r < reps; r++) {
        const cpu0 = process.cpuUsage();
        for (let i = 0; i < files.length; i++) await fn(i);
        const cpu = process.cpuUsage(cpu0);
        runs.push((cpu.user + cpu.system) / 1000 / files.length);
      }
      result[name] = median(runs);
    }
  } finally {
    sharp.concurrency(savedConcurrency);
    sharp.cache({ memory: 50, files: 20, items: 100 });
  }
  return result;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function freshDir(name: string): string {
  const dir = path.join(ROOT, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Mean absolute difference per channel value between two folders of same-sized JPEGs, and mean bytes of `a`. */
async function compare(
  a: string,
  b: string,
  files: string[],
): Promise<{ diff: number; bytesA: number; bytesB: number }> {
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
  const bytes = (d: string) =>
    files.reduce((s, f) => s + fs.statSync(path.join(d, path.basename(f))).size, 0) / files.length;
  return { diff: sum / count, bytesA: bytes(a), bytesB: bytes(b) };
}

async function main(): Promise<void> {
  const runs = Number(arg("--runs", "3"));
  const files = await ensurePhotos(Number(arg("--images", "300")));
  const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  const cores = os.availableParallelism();
  console.log(
    `resize bench ${new Date().toISOString().slice(0, 16)}Z: ${files.length} JPEGs 640 px wide (${(bytes / files.length / 1024).toFixed(0)} KiB mean) → shorter side ${SIZE}, bilinear, q${QUALITY} 4:2:0; ${runs} runs each, interleaved, medians; ${cores} cores, ${os.cpus()[0].model}; sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}`,
  );
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  console.log(`load average before: ${load()}`);
  // Warm the page cache and both runtimes once.
  await pillow(1, false)(files, freshDir("warm-pillow"));
  await engine(true)(files, freshDir("warm-ours"));

  const P1 = "Pillow, workshop loop, 1 process";
  const PN = `Pillow, workshop loop, ${cores} processes`;
  const D1 = "Pillow + draft (DCT 1/2), 1 process";
  const DN = `Pillow + draft (DCT 1/2), ${cores} processes`;
  const F1 = "ours, full decode (shrinkOnLoad: false), 1 process";
  const FN = `ours, full decode, ${cores} processes`;
  const S1 = "ours, default (DCT 1/2 shrinkOnLoad), 1 process";
  const SN = `ours, default, ${cores} processes`;
  const S1N = `ours, default, ${cores} processes, 1 image in flight each`;
  const SV = `ours, default, ${cores} processes, 1 in flight, VIPS_VECTOR=0`;
  const configs: [string, Runner, string][] = [
    [P1, pillow(1, false), "pillow"],
    [F1, engine(false), "sharp-full"],
    [D1, pillow(1, true), "pillow-draft"],
    [S1, engine(true), "sharp"],
    [PN, pillow(cores, false), "pillow"],
    [FN, enginePerCore(false), "sharp-full"],
    [DN, pillow(cores, true), "pillow-draft"],
    [SN, enginePerCore(true), "sharp"],
    // libvips asks the CPU for its vector features (CPUID, 16 times per resize) unless its target list is
    // fixed at start-up; VIPS_VECTOR=0 fixes it (disables no target). CPUID traps on a virtual machine.
    // One image in flight per process spends less CPU per image than several (no contention for the core).
    [S1N, enginePerCore(true, 1), "sharp"],
    [SV, enginePerCore(true, 1, { VIPS_VECTOR: "0" }), "sharp"],
  ];
  if (process.argv.includes("--ladder")) {
    const base: SharpSettings = { kernel: "lanczos3", encoder: "default", inFlight: 1, cache: true };
    const ladder: SharpSettings[] = [
      base,
      { ...base, kernel: "linear" },
      { ...base, kernel: "linear", encoder: "plain" },
      { ...base, kernel: "linear", encoder: "plain", inFlight: 8 },
      { ...base, kernel: "linear", encoder: "plain", inFlight: 8, concurrency: 1 },
      { ...base, kernel: "linear", encoder: "plain", inFlight: 8, concurrency: 1, cache: false },
    ];
    const names = [
      "ladder: sharp defaults, one at a time (lanczos3, optimised Huffman)",
      "ladder: + linear (bilinear) kernel",
      "ladder: + plain encoder (no optimiseCoding/mozjpeg, 4:2:0)",
      "ladder: + 8 in flight",
      "ladder: + libvips concurrency 1",
      "ladder: + cache off",
    ];
    ladder.forEach((s, i) => configs.push([names[i], sharpLoop(s), "ladder"]));
  }
  const results = new Map<string, Measure[]>(configs.map(([name]) => [name, []]));
  for (let r = 0; r < runs; r++) {
    for (const [name, run, dir] of configs) results.get(name)!.push(await run(files, freshDir(dir)));
  }
  const ips = (name: string) => median(results.get(name)!.map((m) => m.ips));
  const cpuMs = (name: string) => median(results.get(name)!.map((m) => m.cpuMs));
  for (const [name] of configs) {
    const ms = results.get(name)!;
    console.log(
      `${name}`.padEnd(58) +
        `${ips(name).toFixed(0).padStart(5)} img/s [${ms.map((m) => m.ips.toFixed(0)).join(", ")}]` +
        `  ${cpuMs(name).toFixed(2)} CPU ms/img [${ms.map((m) => m.cpuMs.toFixed(2)).join(", ")}]`,
    );
  }
  const ratio = (a: string, b: string) => (ips(a) / ips(b)).toFixed(2);
  const cpuRatio = (a: string, b: string) => (cpuMs(b) / cpuMs(a)).toFixed(2);
  console.log(
    `Pillow ${pillowVersion}. Ratios of images/s (and of CPU per image, Pillow's / ours: < 1 means the goal is out of reach):`,
  );
  console.log(
    `  workshop comparison, ours (default) vs Pillow's loop: one process ${ratio(S1, P1)} (goal >= 2), ` +
      `a process per core ${ratio(SN, PN)} (goal > 1); CPU ${cpuRatio(S1, P1)}`,
  );
  console.log(
    `  like for like, full decode: one process ${ratio(F1, P1)}, a process per core ${ratio(FN, PN)}; CPU ${cpuRatio(F1, P1)}`,
  );
  console.log(
    `  like for like, DCT 1/2 decode: one process ${ratio(S1, D1)}, a process per core ${ratio(SN, DN)}; CPU ${cpuRatio(S1, D1)}`,
  );
  console.log(
    `  a process per core, one image in flight each: ${ratio(S1N, PN)} (CPU ${cpuRatio(S1N, P1)}); ` +
      `and with VIPS_VECTOR=0: ${ratio(SV, PN)} (CPU ${cpuRatio(SV, P1)})`,
  );

  console.log(
    `  ceiling on ${cores} cores from CPU per image: ours ${((cores * 1000) / cpuMs(S1)).toFixed(0)} img/s, ` +
      `Pillow's loop ${((cores * 1000) / cpuMs(P1)).toFixed(0)}, Pillow + draft ${((cores * 1000) / cpuMs(D1)).toFixed(0)}`,
  );
  // Same work: same output sizes; bilinear kernels and encoders differ slightly.
  const oursFull = freshDir("sharp-full");
  await engine(false)(files, oursFull);
  const oursHalf = freshDir("sharp");
  await engine(true)(files, oursHalf);
  const p = path.join(ROOT, "pillow");
  const pd = path.join(ROOT, "pillow-draft");
  const full = await compare(oursFull, p, files);
  const half = await compare(oursHalf, pd, files);
  const halfVsP = await compare(oursHalf, p, files);
  console.log(
    `outputs (same sizes checked): mean |ours − Pillow| per channel value, 30 images: full decode ${full.diff.toFixed(2)}, ` +
      `DCT 1/2 vs Pillow + draft ${half.diff.toFixed(2)}, default vs Pillow's loop ${halfVsP.diff.toFixed(2)} of 255; ` +
      `mean output bytes ours ${full.bytesA.toFixed(0)} / ${half.bytesA.toFixed(0)}, Pillow ${full.bytesB.toFixed(0)} / ${half.bytesB.toFixed(0)}`,
  );
  if (!process.argv.includes("--no-stages")) {
    const py = projectPath(".venv", "bin", "python");
    const pil = (
      JSON.parse(
        execFileSync(py, [projectPath("bench", "resize_pillow.py"), PHOTOS, "--stages", "--reps", String(runs)], {
          encoding: "utf8",
        }),
      ) as { stages: Record<string, number> }
    ).stages;
    const ours = await sharpStages(files, runs);
    console.log("CPU ms per image by stage, files in memory, one image at a time:");
    for (const [k, v] of Object.entries(pil)) console.log(`  Pillow ${k}`.padEnd(66) + v.toFixed(2));
    for (const [k, v] of Object.entries(ours)) console.log(`  sharp  ${k}`.padEnd(66) + v.toFixed(2));
  }
  console.log(`load average after: ${load()}`);
}

if (process.argv[2] === "--child") {
  child(process.argv[3]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
