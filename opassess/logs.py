"""The application's log: a small rotating file in the data folder, for problems nobody expected.

Nothing is written (not even the folder made) until there is something to record, so a normal
session leaves no log behind. If the folder cannot be written, logging fails quietly: a log must
never turn one problem into two.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

LOG_FOLDER = "logs"
LOG_FILE = "opassess.log"
MAX_BYTES = 512 * 1024
BACKUP_COUNT = 3
LOGGER_NAME = "opassess"


def log_path(data_dir: Path) -> Path:
    """Where the log of the library in `data_dir` is written."""
    return Path(data_dir) / LOG_FOLDER / LOG_FILE


# logging.handlers pulls in sockets, pickling and threads: it is imported, and the handler
# made, only when there is something to record, which keeps it off the start-up path.
_path: Path | None = None
_handler: Any = None


def _make_handler(path: Path) -> Any:
    """A RotatingFileHandler that makes its folder when first used and remembers a failure."""
    import logging
    from logging.handlers import RotatingFileHandler

    class LazyRotatingFileHandler(RotatingFileHandler):
        def __init__(self) -> None:
            super().__init__(
                path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
            )
            self.failed = False

        def emit(self, record: logging.LogRecord) -> None:
            try:
                Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
            except OSError:
                self.failed = True
                return
            super().emit(record)

        def handleError(self, record: logging.LogRecord) -> None:
            self.failed = True

    handler = LazyRotatingFileHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")
    )
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def setup_logging(data_dir: Path) -> Path:
    """Send the application's log records to the log in `data_dir`; returns the log's path.

    Calling it again (another data folder, or in tests) replaces the earlier file.
    """
    global _path
    stop_logging()
    _path = log_path(data_dir)
    return _path


def stop_logging() -> None:
    """Close the log file and stop writing to it."""
    global _handler, _path
    if _handler is not None:
        import logging

        logging.getLogger(LOGGER_NAME).removeHandler(_handler)
        _handler.close()
    _handler = None
    _path = None


def log_unexpected(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    context: str = "Unexpected error",
) -> bool:
    """Record an exception with its traceback; True when it reached the log file."""
    global _handler
    import logging

    if _handler is None and _path is not None:
        _handler = _make_handler(_path)
    if _handler is not None:
        _handler.failed = False
    logging.getLogger(LOGGER_NAME).error("%s", context, exc_info=(exc_type, exc, tb))
    return _handler is not None and not _handler.failed


def error_signature(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> tuple[str, str, tuple[tuple[str, int], ...]]:
    """What makes two errors "the same one again": type, message and where it was raised."""
    import traceback

    where = tuple((frame.filename, frame.lineno or 0) for frame in traceback.extract_tb(tb))
    return (exc_type.__qualname__, str(exc), where[-3:])
