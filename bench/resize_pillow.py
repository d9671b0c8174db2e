"""The Pillow side of bench/resize.ts: the workshop's resize loop (torchvision `Resize(224)` on a PIL
image = shorter side to 224, longer `int(224 * long / short)`, BILINEAR; then JPEG quality 90 with
Pillow's defaults: baseline, 4:2:0, standard Huffman tables), over every .jpg in a folder.

    python bench/resize_pillow.py IN_DIR OUT_DIR [--procs N] [--size 224] [--quality 90]

--procs 1 is the workshop's plain loop in this process; --procs N splits the sorted file list into N
interleaved shares, one multiprocessing process each. Prints {"images", "seconds", "imagesPerSecond",
"cpuMsPerImage" (user + system CPU of this process and its children), "procs", "pillow"} as JSON; the time runs from the first file opened to the last written (pool
start-up included for N > 1, as a user pays it).
"""
import json
import multiprocessing as mp
import os
import resource
import sys
import time

import PIL
from PIL import Image


def resize_one(src, dst, size, quality):
    with Image.open(src) as im:
        im = im.convert("RGB")
        w, h = im.size
        if w <= h:
            ow, oh = size, int(size * h / w)
        else:
            ow, oh = int(size * w / h), size
        im.resize((ow, oh), Image.BILINEAR).save(dst, "JPEG", quality=quality)


def run_share(args):
    files, out_dir, size, quality = args
    for f in files:
        resize_one(f, os.path.join(out_dir, os.path.basename(f)), size, quality)
    return len(files)


def main():
    argv = sys.argv[1:]
    opt = lambda name, default: argv[argv.index(name) + 1] if name in argv else default  # noqa: E731
    in_dir, out_dir = argv[0], argv[1]
    procs, size, quality = int(opt("--procs", "1")), int(opt("--size", "224")), int(opt("--quality", "90"))
    os.makedirs(out_dir, exist_ok=True)
    files = sorted(os.path.join(in_dir, f) for f in os.listdir(in_dir) if f.lower().endswith(".jpg"))
    cpu = lambda: sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))  # noqa: E731
    start, cpu0 = time.perf_counter(), cpu()
    if procs == 1:
        run_share((files, out_dir, size, quality))
    else:
        pool = mp.Pool(procs)
        pool.map(run_share, [(files[i::procs], out_dir, size, quality) for i in range(procs)])
        pool.close()
        pool.join()  # reaped children count in RUSAGE_CHILDREN
    seconds, cpu_seconds = time.perf_counter() - start, cpu() - cpu0
    json.dump(
        {
            "images": len(files),
            "seconds": seconds,
            "imagesPerSecond": len(files) / seconds,
            "cpuMsPerImage": 1000 * cpu_seconds / len(files),
            "procs": procs,
            "pillow": PIL.__version__,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
