"""Uploaded images: only sound JPEG, PNG and WebP, resized, without their EXIF block."""

import io

import pytest
from PIL import Image

from tests.factories.images import SVG_WITH_SCRIPT, bomb_png, image_bytes, truncated_jpeg
from tracker.errors import InvalidInput
from tracker.media.images import prepare_image


@pytest.fixture(scope="module")
def bomb():
    return bomb_png()


def test_a_photo_is_resized_to_the_page_card_and_report_widths():
    image = prepare_image(image_bytes("JPEG", (3000, 2000)))
    assert (image.width, image.height) == (1600, 1067)
    assert sorted(image.files) == [480, 960, 1600]
    for width, data in image.files.items():
        with Image.open(io.BytesIO(data)) as stored:
            assert (stored.format, stored.width) == ("WEBP", width)
    assert len(image.key) == 32


def test_a_small_image_is_never_enlarged():
    image = prepare_image(image_bytes("PNG", (700, 400)))
    assert sorted(image.files) == [480, 700]
    assert (image.width, image.height) == (700, 400)


def test_exif_is_stripped_and_the_orientation_applied():
    data = image_bytes("JPEG", (1200, 800), exif_place=True)
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825), "the test image carries a GPS position"
    image = prepare_image(data)
    for stored_bytes in image.files.values():
        with Image.open(io.BytesIO(stored_bytes)) as stored:
            assert not stored.getexif(), "EXIF left in a stored file"
            assert "exif" not in stored.info
            assert stored.height > stored.width  # turned upright as the camera said
    assert b"PhoneMaker" not in b"".join(image.files.values())


def test_webp_is_accepted():
    assert prepare_image(image_bytes("WEBP", (800, 600))).width == 800


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (SVG_WITH_SCRIPT, "SVG images are not accepted: they can carry scripts."),
        (b"", "The file is empty."),
        (b"GIF89a" + b"\0" * 100, "not a JPEG, PNG or WebP image"),
        (b"%PDF-1.7\n" + b"x" * 100, "not a JPEG, PNG or WebP image"),
        (b"\xff\xd8\xff" + b"\0" * (11 * 2**20), "larger than 10 MB"),
        (image_bytes("PNG", (300, 300)), "at least 400 by 200 pixels"),
        (image_bytes("PNG", (3000, 400)), "at most 5 times as wide"),
    ],
    ids=["svg", "empty", "gif", "pdf", "huge", "tiny", "sliver"],
)
def test_bad_files_are_refused_with_the_reason(data, reason):
    with pytest.raises(InvalidInput) as caught:
        prepare_image(data)
    assert reason in caught.value.errors["image"]


def test_a_gif_made_by_pillow_is_refused():
    with pytest.raises(InvalidInput) as caught:
        prepare_image(image_bytes("GIF", (800, 600)))
    assert "not a JPEG, PNG or WebP image" in caught.value.errors["image"]


def test_a_decompression_bomb_is_refused_before_it_is_decoded(bomb):
    assert len(bomb) < 100_000
    with pytest.raises(InvalidInput) as caught:
        prepare_image(bomb)
    assert caught.value.errors["image"] == (
        "The image is 12000 by 12000 pixels: at most 40 megapixels are accepted."
    )


def test_a_truncated_file_is_refused():
    with pytest.raises(InvalidInput) as caught:
        prepare_image(truncated_jpeg())
    assert "damaged or incomplete" in caught.value.errors["image"]


def test_a_truncated_file_is_refused_in_a_process_that_loaded_weasyprint(monkeypatch):
    import weasyprint  # noqa: F401  (the report renderer; its import sets the flag below)
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as WeasyPrint leaves it
    with pytest.raises(InvalidInput) as caught:
        prepare_image(truncated_jpeg())
    assert "damaged or incomplete" in caught.value.errors["image"]
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # and it stays as WeasyPrint wants it


def test_a_large_upright_photo_keeps_its_shape_when_decoded_at_a_reduced_scale():
    # Stored 3400 by 2000, shown turned: 2000 wide and 3400 high, read at half scale.
    image = prepare_image(image_bytes("JPEG", (3400, 2000), exif_place=True))
    assert (image.width, image.height) == (1600, 2720)
    with Image.open(io.BytesIO(image.files[1600])) as stored:
        assert stored.size == (1600, 2720)
