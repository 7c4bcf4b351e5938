"""What the packaged application leaves out, in one place for the spec, its Qt hook and the tests.

The application uses three Qt modules (QtCore, QtGui, QtWidgets) and draws everything with
QPainter in the raster engine, so most of what PyInstaller would collect from PySide6 is never
loaded: the other Qt modules, Qt's own translations (the application installs no translator),
image-format plugins (it reads and writes only PNG, which Qt has built in), SVG icons, embedded-
device platforms and the GTK platform theme, which alone pulls about 15 MB of GTK libraries into a
Linux build (without it Qt draws its own file dialogs and Fusion style there; Windows and macOS are
unaffected).

If the application starts to use another Qt module, add it to QT_MODULES_USED:
tests/test_packaging.py fails until it is.
"""

from __future__ import annotations

from pathlib import Path, PurePath

# QtOpenGL and QtOpenGLWidgets: pyqtgraph (the series page's trend chart) imports both always.
QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets", "QtOpenGL", "QtOpenGLWidgets")

# Heavy or development-only packages that optional imports in the dependencies would pull in.
# numpy stays: pyqtgraph, which draws the series page's trend chart, is built on it. Of the Qt
# modules pyqtgraph imports, it needs the two OpenGL ones (above); QtSvg and QtTest are optional
# to it and left out (tests/test_packaging.py draws the chart with them blocked).
# reportlab imports Pillow's Image at start-up, so Pillow stays, but the exports hold no bitmaps:
# the codecs and extensions Pillow loads only when asked (AVIF, WebP, colour management, its own
# fonts, Tk) and their libraries are left out.
PYTHON_EXCLUDES = (
    "tkinter",
    "PIL._avif",
    "PIL._webp",
    "PIL._imagingcms",
    "PIL._imagingft",
    "PIL._imagingtk",
    "PIL._imagingmath",
    "PIL._imagingmorph",
    "PIL.ImageQt",
    "PIL.ImageTk",
    "matplotlib",
    "IPython",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "pypdf",
    "importlinter",
    "grimp",
    "ruff",
    "PyInstaller",
    # An offline application never opens a TLS connection or an interactive prompt.
    "ssl",
    "_ssl",
    "readline",
)

# Qt plugin folders the application never loads.
PLUGIN_DIRS_DROPPED = frozenset(
    {"imageformats", "iconengines", "generic", "egldeviceintegrations", "networkinformation",
     "tls", "networkaccess", "qmltooling", "sqldrivers", "printsupport"}
)
# Platform plugins kept: the desktop ones for each system, and offscreen/minimal for headless runs
# (names without "lib" and suffix; any "qwayland*" for Qt versions that split Wayland in two).
PLATFORMS_KEPT = frozenset({"qoffscreen", "qminimal", "qxcb", "qwayland", "qwindows", "qcocoa"})
PLATFORM_THEMES_DROPPED = ("qgtk3",)
# Wayland plugins for embedded and in-car compositors, or for clients of a Qt-made compositor;
# a desktop session needs xdg-shell, the decorations and the wayland-egl integration.
WAYLAND_DROPPED = ("ivi-shell", "fullscreen-shell-v1", "wl-shell-plugin", "qt-shell",
                   "dmabuf-server", "drm-egl-server", "shm-emulation-server", "vulkan-server")


def qt_modules_excluded(pyside_dir: Path) -> list[str]:
    """Every PySide6 extension module installed beside PySide6 that the application does not use."""
    names = {
        path.name.split(".", 1)[0]
        for path in pyside_dir.iterdir()
        if path.name.startswith("Qt") and path.suffix in (".so", ".pyd")
    }
    return sorted(f"PySide6.{name}" for name in names - set(QT_MODULES_USED))


def _plugin_stem(filename: str) -> str:
    stem = PurePath(filename).name.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep_qt_plugin(source: str, dest_dir: str) -> bool:
    """Whether a Qt plugin binary, collected into `dest_dir` (…/plugins/<kind>), is bundled."""
    parts = PurePath(dest_dir).parts
    if "plugins" not in parts:
        return True
    kind = "/".join(parts[parts.index("plugins") + 1 :])
    stem = _plugin_stem(source)
    if kind in PLUGIN_DIRS_DROPPED:
        return False
    if kind == "platforms":
        return stem in PLATFORMS_KEPT or stem.startswith("qwayland-")
    if kind == "platformthemes":
        return not stem.startswith(PLATFORM_THEMES_DROPPED)
    if kind.startswith("wayland-"):
        return stem not in WAYLAND_DROPPED
    return True


def keep_data(dest: str) -> bool:
    """Whether a collected data file is bundled: everything but Qt's translations."""
    parts = PurePath(dest).parts
    return not ("Qt" in parts and "translations" in parts)
