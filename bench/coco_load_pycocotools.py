"""The pycocotools side of bench/coco-load.ts: time COCO(file) (json.load + createIndex) in this fresh
process, then print {seconds, cpuSeconds, peakKb (VmHWM), images, annotations, categories} as JSON."""
import contextlib
import io
import json
import re
import sys
import time

from pycocotools.coco import COCO

start, cpu = time.perf_counter(), time.process_time()
with contextlib.redirect_stdout(io.StringIO()):  # COCO() prints its progress
    coco = COCO(sys.argv[1])
seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
with open("/proc/self/status") as f:
    peak = int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))
json.dump(
    {"seconds": seconds, "cpuSeconds": cpu_seconds, "peakKb": peak, "images": len(coco.imgs), "annotations": len(coco.anns), "categories": len(coco.cats)},
    sys.stdout,
)
