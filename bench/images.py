"""Blurhash time per 1000x1500 JPEG poster, and resize throughput of variants.

python bench/images.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT / "src"), str(REPO_ROOT)]

import blurhash
from PIL import Image, ImageFilter

from revenge.images.processing import inspect_image, render_variant

GOAL_MS = 10.0


def poster(seed: int) -> bytes:
    """A photo-like 1000x1500 JPEG of typical poster size (~250 KiB): gradient plus grain."""
    noise = Image.effect_noise((1000, 1500), 40 + seed % 20).convert("RGB")
    noise = noise.filter(ImageFilter.GaussianBlur(1.2))
    gradient = Image.linear_gradient("L").resize((1000, 1500)).convert("RGB")
    image = Image.blend(noise, gradient, 0.6)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    posters = [poster(i) for i in range(5)]
    print(f"poster: 1000x1500 JPEG, {len(posters[0]) / 1024:.0f} KiB")
    ingest = timed(lambda: [inspect_image(p) for p in posters], 20)
    per_poster = statistics.median(ingest) / len(posters) * 1000
    print(
        f"ingest (sniff + header check + bounded decode + blurhash + colour): "
        f"{per_poster:.2f} ms per poster (goal <= {GOAL_MS:.0f} ms)"
    )
    with Image.open(io.BytesIO(posters[0])) as full:
        full.load()
        naive = timed(lambda: blurhash.encode(full.copy(), 4, 3), 2)
    naive_ms = statistics.median(naive) * 1000
    print(f"naive blurhash of the full-size image, for comparison: {naive_ms:.0f} ms")
    data = posters[0]
    for fmt, box in (("webp", 320), ("jpeg", 320), ("webp", 1080)):
        count = 20
        start = time.perf_counter()
        for _ in range(count):
            render_variant(data, "jpeg", box, None, fmt)  # type: ignore[arg-type]
        rate = count / (time.perf_counter() - start)
        print(f"resize 1000x1500 JPEG -> {box}px wide {fmt}: {rate:.0f} variants/s per core")


if __name__ == "__main__":
    main()
