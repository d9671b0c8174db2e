"""The Pillow side of bench/resize.ts: the workshop's resize loop (torchvision `Resize(224)` on a PIL
image = shorter side to 224, longer `int(224 * long / short)`, BILINEAR; then JPEG quality 90 with
Pillow's defaults: baseline, 4:2:0, standard Huffman tables), over every .jpg in a folder.

    python bench/resize_pillow.py IN_DIR OUT_DIR [--procs N] [--size 224] [--quality 90] [--draft]
    python bench/resize_pillow.py IN_DIR --stages [--reps 3]

--procs 1 is the workshop's plain loop in this process; --procs N splits the sorted file list into N
interleaved shares, one multiprocessing process each. Prints {"images", "seconds", "imagesPerSecond",
"cpuMsPerImage" (user + system CPU of this process and its children), "procs", "pillow"} as JSON; the
time runs from the first file opened to the last written (pool start-up included for N > 1, as a user
pays it).

--draft is NOT the workshop's loop: it asks libjpeg for a 1/2, 1/4 or 1/8 size DCT decode
(`Image.draft`, the largest scale that keeps both sides at least the target's) before the same bilinear
resize: the like-for-like counterpart of the engine's `shrinkOnLoad`.

--stages prints the CPU ms per image of each stage, files read into memory first, one image at a time:
decode, decode with draft, decode + resize, encode (from the resized pixels), the full pipeline in
memory, and the full pipeline file to file (exactly the loop above).
"""
import io
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time

import PIL
from PIL import Image


def target(w, h, size):
    return (size, int(size * h / w)) if w <= h else (int(size * w / h), size)


def resize_one(src, dst, size, quality, draft=False):
    with Image.open(src) as im:
        t = target(*im.size, size)  # from the stored size: draft() changes im.size
        if draft:
            im.draft("RGB", t)
        im.convert("RGB").resize(t, Image.BILINEAR).save(dst, "JPEG", quality=quality)


def run_share(args):
    files, out_dir, size, quality, draft = args
    for f in files:
        resize_one(f, os.path.join(out_dir, os.path.basename(f)), size, quality, draft)
    return len(files)


def cpu_seconds():
    return sum(
        resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )


def stages(files, size, quality, reps):
    bufs = [open(f, "rb").read() for f in files]
    resized = []
    for b in bufs:
        im = Image.open(io.BytesIO(b)).convert("RGB")
        resized.append(im.resize(target(*im.size, size), Image.BILINEAR))
    out = os.path.join(tempfile.mkdtemp(prefix="resize-stages-"), "out.jpg")

    def decode(i):
        Image.open(io.BytesIO(bufs[i])).load()

    def decode_draft(i):
        im = Image.open(io.BytesIO(bufs[i]))
        im.draft("RGB", target(*im.size, size))
        im.load()

    def decode_resize(i):
        im = Image.open(io.BytesIO(bufs[i])).convert("RGB")
        im.resize(target(*im.size, size), Image.BILINEAR)

    def encode(i):
        resized[i].save(io.BytesIO(), "JPEG", quality=quality)

    def full_memory(i):
        im = Image.open(io.BytesIO(bufs[i])).convert("RGB")
        im.resize(target(*im.size, size), Image.BILINEAR).save(io.BytesIO(), "JPEG", quality=quality)

    def full_file(i):
        resize_one(files[i], out, size, quality)

    def full_file_draft(i):
        resize_one(files[i], out, size, quality, draft=True)

    result = {}
    for name, fn in [
        ("decode", decode),
        ("decode, draft (DCT 1/2)", decode_draft),
        ("decode + resize", decode_resize),
        ("encode", encode),
        ("full, in memory", full_memory),
        ("full, file to file (the bench loop)", full_file),
        ("full, file to file, draft", full_file_draft),
    ]:
        for i in range(min(20, len(files))):
            fn(i)
        runs = []
        for _ in range(reps):
            c0 = cpu_seconds()
            for i in range(len(files)):
                fn(i)
            runs.append(1000 * (cpu_seconds() - c0) / len(files))
        result[name] = sorted(runs)[len(runs) // 2]
    return result


def main():
    argv = sys.argv[1:]
    opt = lambda name, default: argv[argv.index(name) + 1] if name in argv else default  # noqa: E731
    in_dir = argv[0]
    procs, size, quality = int(opt("--procs", "1")), int(opt("--size", "224")), int(opt("--quality", "90"))
    draft = "--draft" in argv
    files = sorted(os.path.join(in_dir, f) for f in os.listdir(in_dir) if f.lower().endswith(".jpg"))
    if "--stages" in argv:
        json.dump({"stages": stages(files, size, quality, int(opt("--reps", "3"))), "pillow": PIL.__version__}, sys.stdout)
        return
    out_dir = argv[1]
    os.makedirs(out_dir, exist_ok=True)
    start, cpu0 = time.perf_counter(), cpu_seconds()
    if procs == 1:
        run_share((files, out_dir, size, quality, draft))
    else:
        pool = mp.Pool(procs)
        pool.map(run_share, [(files[i::procs], out_dir, size, quality, draft) for i in range(procs)])
        pool.close()
        pool.join()  # reaped children count in RUSAGE_CHILDREN
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu0
    json.dump(
        {
            "images": len(files),
            "seconds": seconds,
            "imagesPerSecond": len(files) / seconds,
            "cpuMsPerImage": 1000 * cpu / len(files),
            "procs": procs,
            "draft": draft,
            "pillow": PIL.__version__,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
