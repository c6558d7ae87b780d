"""Bounded reading of input files and standard input, and messages that cannot carry control characters.

Every reader in the package (answers files, rule files, rule tables, letter templates) goes through
``read_file``: it refuses what is not a regular file before opening it for reading (a FIFO would block,
``/dev/zero`` never ends, a directory cannot be read), opens without blocking in case the file changed
in between, and reads at most ``max_bytes + 1`` bytes, so nothing is ever read unbounded.
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from pathlib import Path
from typing import Any, BinaryIO

from .text import N_

NOT_REGULAR = N_("not a regular file")
IS_DIRECTORY = N_("is a directory, not a file")
LINK_LOOP = N_("a loop of symbolic links")
NO_SUCH_FILE = N_("no such file")
CANNOT_READ = N_("cannot be read")
TOO_LARGE = N_("larger than {limit} bytes")


class ReadError(ValueError):
    """A file or stream that cannot be read; ``message`` is safe to show (no path, no control character)."""

    def __init__(self, message: str, **params: Any) -> None:
        self.template = message
        self.params = params
        self.message = message.format(**params)
        super().__init__(self.message)


def _os_error(exc: OSError) -> ReadError:
    if exc.errno == errno.ELOOP:
        return ReadError(LINK_LOOP)
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return ReadError(NO_SUCH_FILE)
    if exc.errno == errno.EISDIR:
        return ReadError(IS_DIRECTORY)
    return ReadError(CANNOT_READ)


def _check_kind(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ReadError(IS_DIRECTORY)
    if not stat.S_ISREG(mode):
        raise ReadError(NOT_REGULAR)


def read_file(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``. Raises :class:`ReadError`."""
    try:
        st = os.stat(path)  # follows links: a loop raises ELOOP here
        _check_kind(st.st_mode)
        if st.st_size > max_bytes:
            raise ReadError(TOO_LARGE, limit=max_bytes)
        # O_NONBLOCK: should a FIFO have replaced the file since the stat, opening it does not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _os_error(exc) from None
    try:
        _check_kind(os.fstat(fd).st_mode)
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _os_error(exc) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:  # the file grew after the stat
        raise ReadError(TOO_LARGE, limit=max_bytes)
    return data


def read_stream(stream: Any, max_bytes: int) -> bytes:
    """At most ``max_bytes`` from a binary or text stream (standard input). Raises :class:`ReadError`."""
    if stream is None:
        raise ReadError(CANNOT_READ)
    binary: BinaryIO | None = getattr(stream, "buffer", None)
    try:
        if binary is not None:
            data = binary.read(max_bytes + 1)
        else:
            raw = stream.read(max_bytes + 1)  # characters: at least as many bytes
            data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
    except OSError as exc:
        raise _os_error(exc) from None
    except (ValueError, UnicodeError):  # a closed stream, or bytes that are not text
        raise ReadError(CANNOT_READ) from None
    if len(data) > max_bytes:
        raise ReadError(TOO_LARGE, limit=max_bytes)
    return data


def read_path(path: Path | str, max_bytes: int, stdin: Any = None) -> bytes:
    """``read_file``, or ``read_stream`` of standard input for ``-``."""
    if str(path) == "-":
        import sys

        return read_stream(stdin if stdin is not None else sys.stdin, max_bytes)
    return read_file(path, max_bytes)


_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def escape(text: str) -> str:
    """``text`` safe for one line of a terminal: control and format characters (ANSI escapes, newlines,
    bidirectional controls) written as ``\\x1b``, ``\\n``, ``\\u202e``, as ``repr`` does; everything else,
    Japanese and its full-width space included, unchanged."""
    if text.isprintable():
        return text
    return "".join(repr(ch)[1:-1] if unicodedata.category(ch) in _CONTROL_CATEGORIES else ch for ch in text)
