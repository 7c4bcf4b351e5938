"""Draw the application icon and write it as PNG, ICO (Windows) and ICNS (macOS).

Run from the repository root after changing the drawing:

    .venv/bin/python packaging/make_icons.py

The icon is three ascending stage bars in the first three Okabe-Ito stage colours on a rounded
dark-blue square: the three stages of development, read left to right. It is drawn with QPainter,
so it needs only PySide6; the ICO and ICNS files are written by Qt's image plugins when they are
present, else by Pillow if it is installed, else skipped with a message.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QImageWriter, QPainter

ICONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
BACKGROUND = "#1F3A5F"
STAGE_COLOURS = ("#D55E00", "#E69F00", "#009E73")
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def draw(size: int) -> QImage:
    """The icon at `size` pixels square, drawn afresh (not scaled) so small sizes stay crisp."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)

    unit = size / 256
    painter.setBrush(QColor(BACKGROUND))
    margin = 8 * unit
    painter.drawRoundedRect(
        QRectF(margin, margin, size - 2 * margin, size - 2 * margin), 44 * unit, 44 * unit
    )

    bar_width, gap, floor = 44 * unit, 18 * unit, 204 * unit
    left = (size - (3 * bar_width + 2 * gap)) / 2
    for index, (colour, height) in enumerate(zip(STAGE_COLOURS, (56, 100, 144), strict=True)):
        painter.setBrush(QColor(colour))
        x = left + index * (bar_width + gap)
        painter.drawRoundedRect(
            QRectF(x, floor - height * unit, bar_width, height * unit), 7 * unit, 7 * unit
        )
    painter.end()
    return image


def _qt_can_write(fmt: bytes) -> bool:
    return fmt in [bytes(name) for name in QImageWriter.supportedImageFormats()]


def _pillow_images(sizes: tuple[int, ...]):
    try:
        from PIL import Image
    except ImportError:
        return None
    images = []
    for size in sizes:
        rgba = draw(size).convertToFormat(QImage.Format.Format_RGBA8888)
        images.append(Image.frombytes("RGBA", (size, size), bytes(rgba.constBits())))
    return images


def write_ico(path: Path) -> str:
    images = _pillow_images(ICO_SIZES)
    if images is not None:
        # Pillow writes every size into one file; Qt's plugin writes only one image.
        images[-1].save(path, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                        append_images=images[:-1])
        return "Pillow, sizes " + ", ".join(map(str, ICO_SIZES))
    if _qt_can_write(b"ico") and draw(256).save(str(path), "ICO"):
        return "Qt, 256 px only"
    return ""


def write_icns(path: Path) -> str:
    images = _pillow_images(ICNS_SIZES)
    if images is not None:
        images[-1].save(path, format="ICNS", append_images=images[:-1])
        return "Pillow, sizes " + ", ".join(map(str, ICNS_SIZES))
    if _qt_can_write(b"icns") and draw(1024).save(str(path), "ICNS"):
        return "Qt, 1024 px only"
    return ""


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts, plugins)
    ICONS_DIR.mkdir(parents=True, exist_ok=True)
    png = ICONS_DIR / "opassess.png"
    if not draw(256).save(str(png), "PNG"):
        print(f"could not write {png}", file=sys.stderr)
        return 1
    print(f"wrote {png.name}")
    for name, writer in (("opassess.ico", write_ico), ("opassess.icns", write_icns)):
        how = writer(ICONS_DIR / name)
        if how:
            print(f"wrote {name} ({how})")
        else:
            print(f"skipped {name}: neither Qt nor Pillow can write it here")
    return 0


if __name__ == "__main__":
    sys.exit(main())
