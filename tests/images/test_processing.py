"""Verification before storage: formats by magic bytes, bombs refused before decoding."""

from __future__ import annotations

import pytest
from PIL import Image

from revenge.images.errors import ImageRefused
from revenge.images.processing import inspect_image, render_variant, sniff
from tests.images.samples import NOT_AN_IMAGE, SVG, encoded, png_bomb


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("JPEG", "jpeg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif"), ("AVIF", "avif")],
)
def test_raster_formats_are_recognised(fmt: str, expected: str) -> None:
    data = encoded(fmt)
    assert sniff(data) == expected
    facts = inspect_image(data)
    assert (facts.format, facts.width, facts.height) == (expected, 100, 150)
    assert len(facts.blurhash) == 28 and facts.dominant_color.startswith("#")


def test_facts_describe_the_image() -> None:
    facts = inspect_image(encoded("JPEG", (1000, 1500), (200, 30, 40)))
    assert (facts.width, facts.height, facts.size_bytes > 0) == (1000, 1500, True)
    red, green, blue = (int(facts.dominant_color[i : i + 2], 16) for i in (1, 3, 5))
    assert red > 180 and green < 60 and blue < 60
    assert len(facts.content_hash) == 64


def test_decompression_bomb_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = png_bomb()
    assert len(bomb) < 200_000
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(1))
    with pytest.raises(ImageRefused) as caught:
        inspect_image(bomb)
    assert caught.value.code == "too_many_pixels" and "64,000,000" in caught.value.reason
    assert decoded == []


def test_absurd_header_sizes_are_refused() -> None:
    with pytest.raises(ImageRefused) as caught:
        inspect_image(png_bomb(40000, 40000, header_only=True))
    assert caught.value.code == "too_many_pixels"


def test_svg_is_never_accepted() -> None:
    with pytest.raises(ImageRefused) as caught:
        inspect_image(SVG)
    assert caught.value.code == "svg"
    with pytest.raises(ImageRefused):
        inspect_image(b"\n  <svg xmlns='http://www.w3.org/2000/svg'/>")


def test_non_image_content_is_refused_whatever_its_name() -> None:
    with pytest.raises(ImageRefused) as caught:
        inspect_image(NOT_AN_IMAGE)
    assert caught.value.code == "not_image"


def test_truncated_image_is_corrupt() -> None:
    data = encoded("PNG", (300, 300))
    with pytest.raises(ImageRefused) as caught:
        inspect_image(data[: len(data) // 3])
    assert caught.value.code == "corrupt"


def test_variants_fit_the_box_and_never_grow() -> None:
    data = encoded("JPEG", (1000, 1500))
    small = render_variant(data, "jpeg", 320, None, "webp")
    import io

    with Image.open(io.BytesIO(small)) as im:
        assert (im.format, im.size) == ("WEBP", (320, 480))
    same = render_variant(encoded("PNG", (50, 60)), "png", 640, 640, "jpeg")
    with Image.open(io.BytesIO(same)) as im:
        assert (im.format, im.size) == ("JPEG", (50, 60))
