"""Write: `{output path: bytes}` → a site folder, swapped in only when complete.

The only module that touches the output folder. The new site is written into a staging folder
beside it and renamed into place at the end, so a failed build leaves the previous site
byte-for-byte untouched.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath


class UnsafeOutput(Exception):
    """The output folder would overwrite something that is not a built site."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_id, self.message_en = message_id, message_en


class WriteFailed(Exception):
    """The system refused a write (disk full, read-only, too large); nothing was swapped in."""

    def __init__(self, output: Path, reason: str) -> None:
        super().__init__(reason)
        self.message_id = (f"gagal menulis situs ke {output}: {reason}; situs lama tidak diubah")
        self.message_en = (f"could not write the site to {output}: {reason}; the previous site"
                           " is unchanged")


@contextlib.contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold the output folder for one build; a second build at once is refused, not mixed in."""
    out = output.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        lock = open(out.parent / f".{out.name}.lock", "w")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise WriteFailed(output, exc.strerror or str(exc)) from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UnsafeOutput(
                f"pembangunan lain sedang menulis ke {output}; tunggu sampai selesai",
                f"another build is writing to {output}; wait until it ends") from None
        yield


def _contains(parent: Path, child: Path) -> bool:
    return child == parent or parent in child.parents


def check_output(output: Path, protected: Mapping[str, Path]) -> None:
    """Refuse `/`, a repository root, a non-site folder, or a folder holding the sources."""
    out = output.resolve()
    if out == Path(out.anchor):
        raise UnsafeOutput("folder keluaran tidak boleh \"/\"", "the output folder cannot be \"/\"")
    if (out / ".git").exists() or (out / "pyproject.toml").exists():
        raise UnsafeOutput(f"folder keluaran {output} adalah akar repositori; pilih misalnya site/",
                           f"the output folder {output} is a repository root; use e.g. site/")
    for name, path in protected.items():
        source = path.resolve()
        if _contains(out, source) or _contains(source, out):
            raise UnsafeOutput(
                f"folder keluaran {output} bertumpuk dengan folder {name} {path}",
                f"the output folder {output} overlaps the {name} folder {path}")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").exists():
        raise UnsafeOutput(
            f"folder keluaran {output} berisi berkas lain, bukan situs; kosongkan atau pilih"
            " folder lain",
            f"the output folder {output} holds other files, not a site; empty it or pick another")


def _target(root: Path, name: str) -> Path:
    """Where `name` goes under `root`; its folder is made."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"output path escapes the site folder: {name!r}")
    target = root.joinpath(*path.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def publish(outputs: Mapping[str, bytes], output: Path,
            files: Mapping[str, Path] | None = None) -> None:
    """Write every output, and put every file of `files` (site path → finished file, the
    photo renditions in the cache), into a staging folder; then swap it in place of `output`."""
    out = output.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for name in sorted(outputs):
            _target(staging, name).write_bytes(outputs[name])
        for name, source in sorted((files or {}).items()):
            _place(source, _target(staging, name))
        _swap(staging, out)
    except OSError as exc:
        raise WriteFailed(output, exc.strerror or str(exc)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _place(source: Path, target: Path) -> None:
    """A hard link to a finished file, which is never changed in place: instant, and no
    second copy on disk; a copy where the two folders are on different file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old)
