# Replaces PyInstaller's own hook for PySide6.QtGui: the same collection, less the Qt plugins the
# application never loads (packaging/bundle_rules.py). Filtering here rather than in the spec means
# a dropped plugin's own libraries (GTK for the gtk3 theme, QtSvg for the svg plugins) are never
# analysed, so they do not end up in the build either.
import os
import sys

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bundle_rules import keep_qt_plugin

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if keep_qt_plugin(source, dest)]
