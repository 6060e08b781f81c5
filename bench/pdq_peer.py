"""Peer measurements for bench/pdq: the reference C++ PDQ (PyPI `pdqhash`,
with Pillow decoding) and faiss binary indexes (PyPI `faiss-cpu`).
Prints one JSON object per command."""
import json, os, sys, time
from multiprocessing import Pool

import numpy as np
from PIL import Image


def gen(out_dir, n):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(20261128)
    for i in range(n):
        path = os.path.join(out_dir, f"img{i:04d}.jpg")
        if os.path.exists(path):
            continue
        y, x = np.mgrid[0:768, 0:1024]
        a, b, c = rng.uniform(0.002, 0.03, 3)
        base = np.stack([
            127 + 120 * np.sin(a * x + b * y + c * i),
            127 + 120 * np.cos(b * x - a * y),
            127 + 120 * np.sin(c * (x + y)),
        ], axis=-1)
        noise = rng.normal(0, 12, base.shape)
        img = np.clip(base + noise, 0, 255).astype(np.uint8)
        Image.fromarray(img).save(path, quality=90)
    print(json.dumps({"generated": n}))


def _hash_file(path):
    import pdqhash
    img = np.asarray(Image.open(path).convert("RGB"))
    return pdqhash.compute(img)


def _hash_pixels(arr):
    import pdqhash
    return pdqhash.compute(arr)


def hash_bench(directory, threads):
    files = sorted(os.path.join(directory, f) for f in os.listdir(directory))
    _hash_file(files[0])
    # One-core figures in CPU time (this process), as Haven's: on a shared,
    # loaded machine that measures the work rather than the neighbours.
    t = time.process_time()
    for f in files:
        _hash_file(f)
    files_1 = len(files) / (time.process_time() - t)
    with Pool(threads) as pool:
        pool.map(_hash_file, files[:threads])
        t = time.perf_counter()
        pool.map(_hash_file, files, chunksize=8)
        files_n = len(files) / (time.perf_counter() - t)
    arrays = [np.asarray(Image.open(f).convert("RGB")) for f in files]
    t = time.process_time()
    for a in arrays:
        _hash_pixels(a)
    pixels_1 = len(arrays) / (time.process_time() - t)
    # Pixels with all cores: pdqhash releases no GIL, so processes (arrays are sent to them;
    # the transfer is counted, which favours the peer's single-core figure as the fairer one).
    with Pool(threads) as pool:
        t = time.perf_counter()
        pool.map(_hash_pixels, arrays, chunksize=8)
        pixels_n = len(arrays) / (time.perf_counter() - t)
    print(json.dumps({"images": len(files), "files_per_s_1": files_1, "files_per_s_n": files_n,
                      "pixels_per_s_1": pixels_1, "pixels_per_s_n": pixels_n}))


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0


def match_bench(n, queries, threads):
    import faiss
    rng = np.random.default_rng(7)
    data = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    q = rng.integers(0, 256, size=(queries, 32), dtype=np.uint8)
    planted = q.copy()
    for i in range(queries):
        d = i % 41
        bits = rng.choice(256, size=d, replace=False)
        for b in bits:
            planted[i, b // 8] ^= 1 << (b % 8)
    data = np.vstack([data, planted])
    out = {"hashes": int(data.shape[0]), "queries": queries}
    for name, make in [("flat", lambda: faiss.IndexBinaryFlat(256)),
                       ("multihash", lambda: faiss.IndexBinaryMultiHash(256, 16, 16))]:
        before = rss_mb()
        t = time.perf_counter()
        index = make()
        if name == "multihash":
            index.nflip = 1
        index.add(data)
        build = time.perf_counter() - t
        mem = rss_mb() - before
        nq = queries if name == "multihash" else max(10, queries // 20)
        faiss.omp_set_num_threads(1)
        t = time.process_time()
        lims, dist, ids = index.range_search(q[:nq], 32)
        qps_1 = nq / (time.process_time() - t)
        faiss.omp_set_num_threads(threads)
        t = time.perf_counter()
        index.range_search(q[:nq], 32)
        qps_n = nq / (time.perf_counter() - t)
        out[name] = {"build_s": build, "rss_mb": mem, "qps_1": qps_1, "qps_n": qps_n, "matches": int(lims[-1]), "queries_timed": nq}
        del index
    print(json.dumps(out))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(sys.argv[2], int(sys.argv[3]))
    elif cmd == "hash":
        hash_bench(sys.argv[2], int(sys.argv[3]))
    elif cmd == "match":
        match_bench(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
