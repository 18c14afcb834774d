"""Diagnostics for editors: a location, a bilingual message, one output format.

Every mistake in content becomes a `Diagnostic`; stages collect them and the CLI prints them
sorted, compiler style, so an editor can jump to the line:

    content/products/lapas-serang/sepatu.md:7:8: galat: price: harus ... (error: ...)
"""

from __future__ import annotations

import difflib
import errno
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

Severity = Literal["error", "warning"]

_SEVERITY_WORD = {"error": "galat", "warning": "peringatan"}


@dataclass(frozen=True, order=True)
class Location:
    """A place in a content file; line and column are 1-based."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One message for an editor: Indonesian first, English after."""

    location: Location
    field: str
    message_id: str
    message_en: str
    severity: Severity = "error"

    def format(self) -> str:
        """Render as `path:line:col: galat: field: pesan (error: message)`."""
        field = f"{self.field}: " if self.field else ""
        return (
            f"{self.location}: {_SEVERITY_WORD[self.severity]}: {field}"
            f"{self.message_id} ({self.severity}: {self.message_en})"
        )

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.field, self.message_id)


def error(location: Location, field: str, message_id: str, message_en: str) -> Diagnostic:
    """An error at `location` about `field`."""
    return Diagnostic(location, field, message_id, message_en, "error")


def warning(location: Location, field: str, message_id: str, message_en: str) -> Diagnostic:
    """A warning at `location` about `field`; `--strict` makes it fail the build."""
    return Diagnostic(location, field, message_id, message_en, "warning")


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Sorted by file, line and column, without repeats."""
    return tuple(sorted(set(diagnostics), key=Diagnostic.sort_key))


def is_failure(diagnostics: Iterable[Diagnostic], strict: bool) -> bool:
    """True when the build must stop: any error, or any warning when strict."""
    return any(d.severity == "error" or strict for d in diagnostics)


class ContentErrors(Exception):
    """The content cannot be built; carries every diagnostic found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = sort_diagnostics(diagnostics)
        super().__init__(f"{len(self.diagnostics)} content error(s)")


class BuildStopped(Exception):
    """A build stopped for a reason that is not the content's (a site folder that cannot be
    written, a worker process that stopped, a broken search indexer); nothing was published.
    `message_id` and `message_en` say it in both languages."""

    message_id: str
    message_en: str


class Explained(Protocol):
    """A failure that is not the content's (a site folder that cannot be written, a worker
    process that stopped), told in both languages."""

    @property
    def message_id(self) -> str: ...

    @property
    def message_en(self) -> str: ...


def failure(problem: Explained) -> str:
    """The line that tells `problem`: Indonesian first, then English."""
    return f"galat: {problem.message_id} (error: {problem.message_en})"


_NO_RIGHT = ("tidak ada izin menulis ke folder itu", "writing to that folder is not allowed")
_SYSTEM_PROBLEMS: dict[int, tuple[str, str]] = {  # by `errno`: what an editor can do about it
    errno.ENOSPC: ("disk penuh; kosongkan ruang lalu bangun lagi",
                   "the disk is full; free some space and build again"),
    errno.EDQUOT: ("kuota disk habis; kosongkan ruang lalu bangun lagi",
                   "the disk quota is used up; free some space and build again"),
    errno.EROFS: ("disk itu hanya bisa dibaca; pilih folder lain dengan --out",
                  "that disk is read-only; choose another folder with --out"),
    errno.EACCES: _NO_RIGHT, errno.EPERM: _NO_RIGHT,
    errno.EFBIG: ("berkas melebihi batas ukuran berkas sistem",
                  "a file is over the system's file size limit"),
    errno.ENOTDIR: ("bagian jalurnya bukan folder", "part of its path is not a folder"),
    errno.EISDIR: ("itu folder, bukan berkas", "it is a folder, not a file"),
}


def system_problem(problem: OSError) -> tuple[str, str]:
    """What the system said of a failed read or write, in Indonesian and English (the system
    says it in English only; a reason not known here is given as it said it)."""
    said = problem.strerror or str(problem)
    return _SYSTEM_PROBLEMS.get(problem.errno or 0, (said, said))


def did_you_mean(word: str, choices: Iterable[str]) -> tuple[str, str]:
    """Indonesian and English suffixes suggesting the closest choice, or empty strings."""
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    if not match:
        return "", ""
    return f"; mungkin maksudnya \"{match[0]}\"?", f"; did you mean \"{match[0]}\"?"


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    """A closing line: how many errors and warnings."""
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    return (
        f"{errors} galat, {warnings} peringatan ({errors} error(s), {warnings} warning(s))"
    )
