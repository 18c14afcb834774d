"""Build stamp: a build whose inputs, and whose output folder, are as the last build left them
has nothing to do.

The stamp of a build is the digest of everything it reads (the generator's code, every file of
the content and templates folders by name and bytes, the build options, `SOURCE_DATE_EPOCH`)
and of the output folder it wrote (each file's name, size and modification time, so a file
touched or deleted by hand is noticed). It is kept in `<cache>/stamp.pickle` with the warnings
and the file count of that build, which an unchanged build reports again.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import Diagnostic
from generator.memo import code_digest, digest, keep, unpickle
from generator.write import site_digest, walk

if TYPE_CHECKING:
    from generator.build import BuildOptions


@dataclass(frozen=True)
class Stamp:
    inputs: str
    site: str
    files: int  # files in the site
    diagnostics: tuple[Diagnostic, ...]  # the warnings the build gave


def _read(entry: os.DirEntry[str]) -> bytes:
    if entry.is_symlink():
        return b"link:" + os.readlink(entry.path).encode("utf-8", "surrogateescape")
    if not entry.is_file(follow_symlinks=False):
        return b"dir" if entry.is_dir(follow_symlinks=False) else b"other"
    try:
        with open(entry.path, "rb") as file:
            return file.read()
    except OSError:
        return b"unreadable"


def _tree_bytes(folder: Path) -> Iterator[bytes]:
    for name, entry in walk(folder):
        yield name.encode("utf-8", "surrogateescape")
        yield _read(entry)


def inputs_digest(options: BuildOptions) -> str:
    """What a build of `options` reads, the output folder aside."""
    settings = dataclasses.replace(options, workers=None)
    previous = (site_digest(options.previous_dir) if options.previous_dir else "").encode()
    return digest(code_digest().encode(), repr(settings).encode(),
                  os.environ.get("SOURCE_DATE_EPOCH", "").encode(), previous,
                  *_tree_bytes(options.content_dir), b"templates",
                  *_tree_bytes(options.templates_dir))


def _path(options: BuildOptions) -> Path:
    return options.cache_dir / "stamp.pickle"


def unchanged(options: BuildOptions, inputs: str) -> Stamp | None:
    """The last build's stamp when it read the same inputs and its site is untouched."""
    kept = unpickle(_path(options))
    if not isinstance(kept, dict):
        return None
    stamp = kept.get(str(options.output_dir.resolve()))
    if not isinstance(stamp, Stamp) or stamp.inputs != inputs:
        return None
    return stamp if stamp.site == site_digest(options.output_dir) else None


def record(options: BuildOptions, inputs: str, site: str, files: int,
           diagnostics: tuple[Diagnostic, ...]) -> None:
    """Keep the stamp of a build that has just published its site (`site`: its digest)."""
    path = _path(options)
    stamp = Stamp(inputs, site, files, diagnostics)
    keep(path, pickle.dumps({str(options.output_dir.resolve()): stamp}))
