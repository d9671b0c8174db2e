/**
 * Benchmark: EfficientNet-Lite0 embeddings at 224 px (onnxruntime-node, CPU) against the NumPy forward pass
 * of the same network (test/fixtures/efficientnet/efficientnet_reference.py in the project's .venv, the
 * kind of pass the issue measured at 15.5 images/s). Goal: >= 50 images/s with 2 threads.
 *
 *   node dist/bench/embed.js [--images 256] [--runs 3] [--threads 2] [--batch 16] [--numpy-images 48] [--spinning]
 *
 * Two workloads through `embed` (preprocessing included): 224×224 images (the network alone) and real
 * 32×32 CIFAR-10 records from data/cifar10, upscaled to 224 (the training notebook's case). Each runs
 * `--runs` times; printed are the median images/s and CPU ms per image (user + system, all threads: the
 * figure a shared machine disturbs least), then the NumPy pass on random 224 px images and the ratios.
 * The load average is printed before and after, as the machine may be shared.
 */
import { execFileSync } from "node:child_process";
import * as os from "node:os";
import { readCifarBatch } from "../src/image/cifar";
import { loadEfficientNetLite0 } from "../src/image/efficientnet";
import { efficientNetLite0Paths } from "../src/image/efficientnet-weights";
import type { RgbImage } from "../src/image/transforms";
import { projectPath } from "../src/util/paths";
import { mulberry32 } from "../src/util/prng";

const arg = (name: string, fallback: number) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
const count = arg("--images", 256);
const runs = arg("--runs", 3);
const threads = arg("--threads", 2);
const batchSize = arg("--batch", 16);
const numpyImages = arg("--numpy-images", 48);
const spinning = process.argv.includes("--spinning");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

function noiseImages(n: number): RgbImage[] {
  const rand = mulberry32(1);
  return Array.from({ length: n }, () => ({
    data: Uint8Array.from({ length: 224 * 224 * 3 }, () => Math.floor(rand() * 256)),
    width: 224,
    height: 224,
    channels: 3 as const,
  }));
}

function cifarImages(n: number): RgbImage[] {
  const batch = readCifarBatch(projectPath("data", "cifar10", "data_batch_1_1000_1999.bin"));
  return Array.from({ length: n }, (_, i) => batch.record(i % batch.length));
}

async function main(): Promise<void> {
  console.log(
    `embed bench: ${count} images, ${runs} runs, ${threads} threads, batch ${batchSize}, spinning ${spinning ? "on" : "off"}`,
  );
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}; load average ${load()}`);
  const net = await loadEfficientNetLite0({ threads, batchSize, spinning });
  const results: Record<string, { perSecond: number; cpuMs: number }> = {};
  for (const [name, images] of [
    ["224 px", noiseImages(count)],
    ["CIFAR 32 px → 224", cifarImages(count)],
  ] as const) {
    await net.embed(images.slice(0, batchSize)); // warm-up
    const rates: number[] = [];
    const cpus: number[] = [];
    for (let r = 0; r < runs; r++) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await net.embed(images);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      rates.push(count / seconds);
      cpus.push((cpu.user + cpu.system) / 1000 / count);
    }
    results[name] = { perSecond: median(rates), cpuMs: median(cpus) };
    console.log(
      `onnxruntime ${name.padEnd(18)} ${median(rates).toFixed(1).padStart(6)} images/s  ${median(cpus).toFixed(1)} CPU ms/image  (runs: ${rates.map((x) => x.toFixed(1)).join(", ")})`,
    );
  }
  await net.close();

  const py = projectPath(".venv", "bin", "python");
  const ref = projectPath("test", "fixtures", "efficientnet", "efficientnet_reference.py");
  const out = JSON.parse(
    execFileSync(py, [ref, "bench", efficientNetLite0Paths().pth, String(numpyImages)], { encoding: "utf8" }),
  );
  const numpyCpuMs = out.cpuSecondsPerImage * 1000;
  console.log(
    `numpy ${out.numpy} 224 px (${numpyImages} images)  ${out.imagesPerSecond.toFixed(1).padStart(6)} images/s  ${numpyCpuMs.toFixed(1)} CPU ms/image`,
  );
  const ours = results["224 px"];
  console.log(
    `ratio onnxruntime / numpy at 224 px: ${(ours.perSecond / out.imagesPerSecond).toFixed(2)}× images/s, ` +
      `${(numpyCpuMs / ours.cpuMs).toFixed(2)}× less CPU per image (goal: >= 50 images/s, about 3× numpy)`,
  );
  console.log(`load average after: ${load()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
