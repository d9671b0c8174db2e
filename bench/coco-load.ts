/**
 * Benchmark: loading and indexing a COCO instances file the size of the real instances_train2017.json
 * (its counts: 118,287 images, 860,001 annotations with polygon segmentations, 80 categories; 474 MiB against the
 * real file's 448 MiB), with
 * `loadCoco` against pycocotools 2.0.11 `COCO(file)` on the same file.
 *
 *   node dist/bench/coco-load.js [--scale 1] [--out out/bench/coco-train-like-1.json]
 *
 * The file is generated once (deterministic, seed 2017) into out/bench/ and reused. Each side runs in
 * a fresh process that times the load (file open to index built) and reads its own peak resident
 * memory (VmHWM in /proc/self/status) afterwards. Prints both, and the ratios (goal: pycocotools'
 * time / ours > 1 and our peak memory / pycocotools' <= 1). `--scale 0.1` makes a tenth of the file.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { loadCoco } from "../src/image/coco";
import { COCO_CATEGORIES } from "../src/image/coco-categories";
import { mulberry32 } from "../src/util/prng";
import { projectPath } from "../src/util/paths";

const arg = (name: string, fallback: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback;

/** Bytes written through a large buffer straight to a file descriptor. */
class ByteWriter {
  private buf = Buffer.allocUnsafe(16 << 20);
  private n = 0;
  bytes = 0;
  constructor(private readonly fd: number) {}

  ascii(s: string): void {
    if (this.n + s.length * 3 > this.buf.length) this.flush();
    this.n += this.buf.write(s, this.n, "latin1");
  }

  /** A non-negative integer. */
  uint(v: number): void {
    if (this.n + 24 > this.buf.length) this.flush();
    if (v === 0) {
      this.buf[this.n++] = 48;
      return;
    }
    let digits = 0;
    for (let t = v; t > 0; t = Math.floor(t / 10)) digits++;
    for (let i = digits - 1, t = v; i >= 0; i--, t = Math.floor(t / 10)) this.buf[this.n + i] = 48 + (t % 10);
    this.n += digits;
  }

  /** hundredths / 100 as Python's repr prints a 2-decimal float: 243.0, 243.5, 243.45. */
  fixed2(hundredths: number): void {
    this.uint(Math.floor(hundredths / 100));
    const frac = hundredths % 100;
    this.buf[this.n++] = 46;
    this.buf[this.n++] = 48 + Math.floor(frac / 10);
    if (frac % 10 !== 0) this.buf[this.n++] = 48 + (frac % 10);
  }

  flush(): void {
    fs.writeSync(this.fd, this.buf, 0, this.n);
    this.bytes += this.n;
    this.n = 0;
  }
}

/** Write a train2017-like file; returns its size in bytes. */
export function generateTrainLike(file: string, scale: number, seed = 2017): number {
  const rand = mulberry32(seed);
  const nImages = Math.round(118_287 * scale);
  const nAnns = Math.round(860_001 * scale);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, "w");
  const out = new ByteWriter(fd);
  out.ascii(
    '{"info": {"description": "Generated like COCO 2017 train (ml-dataprep-ts bench)","url": "http://cocodataset.org","version": "1.0","year": 2017,"contributor": "COCO Consortium","date_created": "2017/09/01"},"licenses": [',
  );
  for (let l = 1; l <= 8; l++) {
    out.ascii(
      `${l > 1 ? "," : ""}{"url": "http://creativecommons.org/licenses/by/2.0/","id": ${l},"name": "License ${l}"}`,
    );
  }
  out.ascii('],"images": [');
  const ids = new Float64Array(nImages);
  const heights = new Float64Array(nImages);
  const widths = new Float64Array(nImages);
  for (let i = 0; i < nImages; i++) {
    ids[i] = i * 4 + 1 + Math.floor(rand() * 4);
    widths[i] = rand() < 0.7 ? 640 : 300 + Math.floor(rand() * 341);
    heights[i] = rand() < 0.5 ? 480 : rand() < 0.5 ? 427 : 240 + Math.floor(rand() * 401);
    const name = String(ids[i]).padStart(12, "0");
    out.ascii(
      `${i > 0 ? "," : ""}{"license": ${1 + Math.floor(rand() * 8)},"file_name": "${name}.jpg","coco_url": "http://images.cocodataset.org/train2017/${name}.jpg","height": ${heights[i]},"width": ${widths[i]},"date_captured": "2013-11-14 16:28:13","flickr_url": "http://farm${1 + Math.floor(rand() * 9)}.staticflickr.com/${1000 + Math.floor(rand() * 9000)}/${Math.floor(rand() * 1e10)}_${Math.floor(rand() * 0xfffffff).toString(16)}_z.jpg","id": ${ids[i]}}`,
    );
  }
  out.ascii('],"annotations": [');
  const xs: number[] = [];
  const ys: number[] = [];
  for (let a = 0; a < nAnns; a++) {
    const i = Math.floor(rand() * nImages);
    const w = widths[i];
    const h = heights[i];
    const cat = rand() < 0.3 ? 1 : COCO_CATEGORIES[1 + Math.floor(rand() * 79)].id;
    out.ascii(a > 0 ? ',{"segmentation": ' : '{"segmentation": ');
    let area: number;
    const bbox = [Infinity, Infinity, -Infinity, -Infinity];
    const crowd = rand() < 0.01;
    if (crowd) {
      // An uncompressed RLE of a few hundred runs, like train2017's crowds.
      out.ascii(`{"counts": [`);
      const runs = 100 + Math.floor(rand() * 600);
      let left = h * w;
      let fg = 0;
      for (let r = 0; r < runs && left > 0; r++) {
        const c = r === runs - 1 ? left : Math.min(left, Math.floor(rand() * ((2 * h * w) / runs)));
        if (r > 0) out.ascii(",");
        out.uint(c);
        if (r % 2 === 1) fg += c;
        left -= c;
      }
      if (left > 0) out.ascii(`,${left}`);
      out.ascii(`],"size": [${h},${w}]}`);
      area = fg;
      bbox.splice(0, 4, 0, 0, w, h);
    } else {
      out.ascii("[");
      area = 0;
      const parts = rand() < 0.85 ? 1 : 2 + Math.floor(rand() * 3);
      for (let p = 0; p < parts; p++) {
        // A star-shaped polygon: points around a centre, COCO-like point counts (mean about 23).
        const n = 4 + Math.floor(rand() * rand() * 60) + (parts === 1 ? 5 : 0);
        const r0 = 4 + Math.exp(rand() * Math.log(Math.min(w, h) / 2 - 4));
        const cx = r0 + rand() * (w - 2 * r0);
        const cy = r0 + rand() * (h - 2 * r0);
        xs.length = 0;
        ys.length = 0;
        for (let k = 0; k < n; k++) {
          const t = ((k + rand() * 0.8) / n) * 2 * Math.PI;
          const r = r0 * (0.55 + 0.45 * rand());
          const x = Math.round(Math.min(w - 0.01, Math.max(0, cx + r * Math.cos(t))) * 100);
          const y = Math.round(Math.min(h - 0.01, Math.max(0, cy + r * Math.sin(t))) * 100);
          xs.push(x / 100);
          ys.push(y / 100);
          out.ascii(k === 0 ? (p > 0 ? ",[" : "[") : ",");
          out.fixed2(x);
          out.ascii(",");
          out.fixed2(y);
          bbox[0] = Math.min(bbox[0], x / 100);
          bbox[1] = Math.min(bbox[1], y / 100);
          bbox[2] = Math.max(bbox[2], x / 100);
          bbox[3] = Math.max(bbox[3], y / 100);
        }
        out.ascii("]");
        let s = 0;
        for (let k = 0; k < n; k++) s += xs[k] * ys[(k + 1) % n] - xs[(k + 1) % n] * ys[k];
        area += Math.abs(s) / 2;
      }
      out.ascii("]");
      bbox[2] = Math.round((bbox[2] - bbox[0]) * 100) / 100;
      bbox[3] = Math.round((bbox[3] - bbox[1]) * 100) / 100;
    }
    out.ascii(
      `,"area": ${area},"iscrowd": ${crowd ? 1 : 0},"image_id": ${ids[i]},"bbox": [${bbox.join(",")}],"category_id": ${cat},"id": ${a + 1}}`,
    );
  }
  out.ascii('],"categories": [');
  COCO_CATEGORIES.forEach((c, k) => {
    out.ascii(`${k > 0 ? "," : ""}{"supercategory": "${c.supercategory}","id": ${c.id},"name": "${c.name}"}`);
  });
  out.ascii("]}");
  out.flush();
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  return out.bytes;
}

function peakKb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) : NaN;
}

interface Side {
  seconds: number;
  cpuSeconds: number;
  peakKb: number;
  images: number;
  annotations: number;
  categories: number;
}

/** The measured side in a child process: load, then report time and peak memory. */
function child(file: string): void {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const coco = loadCoco(file);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const side: Side = {
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakKb: peakKb(),
    images: coco.imgs.size,
    annotations: coco.anns.size,
    categories: coco.cats.size,
  };
  process.stdout.write(JSON.stringify(side));
}

function run(cmd: string, args: string[]): Side {
  return JSON.parse(execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 20 })) as Side;
}

function main(): void {
  if (process.argv[2] === "--child") return child(process.argv[3]);
  const scale = Number(arg("--scale", "1"));
  const file = path.resolve(arg("--out", projectPath("out", "bench", `coco-train-like-${scale}.json`)));
  if (!fs.existsSync(file)) {
    const start = performance.now();
    const bytes = generateTrainLike(file, scale);
    const s = ((performance.now() - start) / 1000).toFixed(1);
    console.log(`generated ${file}: ${(bytes / 2 ** 20).toFixed(1)} MiB in ${s} s`);
  }
  const python = projectPath(".venv", "bin", "python");
  const mb = (fs.statSync(file).size / 2 ** 20).toFixed(1);
  console.log(
    `COCO load and index, ${mb} MiB (scale ${scale}); node ${process.versions.node}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`,
  );
  const ours = run(process.execPath, [__filename, "--child", file]);
  const py = run(python, [projectPath("bench", "coco_load_pycocotools.py"), file]);
  const show = (name: string, s: Side) =>
    console.log(
      `${name.padEnd(22)} ${s.seconds.toFixed(2).padStart(7)} s (CPU ${s.cpuSeconds.toFixed(2)} s)  peak RSS ${(s.peakKb / 1024).toFixed(0).padStart(6)} MiB  (${s.images} images, ${s.annotations} annotations, ${s.categories} categories)`,
    );
  show("loadCoco (ours)", ours);
  show("pycocotools COCO()", py);
  console.log(
    `time: pycocotools / ours = ${(py.seconds / ours.seconds).toFixed(2)}x faster (CPU time ${(py.cpuSeconds / ours.cpuSeconds).toFixed(2)}x); peak memory: ours / pycocotools = ${(ours.peakKb / py.peakKb).toFixed(2)}`,
  );
}

if (require.main === module) main();
