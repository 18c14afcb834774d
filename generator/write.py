"""Write: `{output path: bytes}` → a site folder, swapped in only when complete.

The only module that touches the output folder. A new site is written into a staging folder
beside it and renamed into place at the end, so a failed build leaves the previous site
byte-for-byte untouched.

Outputs are bytes, or finished files in the build cache (photo renditions, rendered pages),
which are hard-linked into the site: they are never changed in place, only replaced.

When the build cache holds the manifest of the last publish (each file's digest, and the
folder's names, sizes and times as that publish left them) and the folder still matches it,
only the files that changed are written: each beside its old self first, then all renamed into
place, and the files no longer made are deleted. A failure while writing removes what was
written and leaves the old site whole; a build killed while renaming leaves a folder that no
longer matches the manifest, so the next build writes the whole site again.

When the whole site is to be written, a `Staging` may start before the build ends: handed the
files that are final (the pages once rendered, the search index once made), it writes them
into the staging folder in a thread while the build makes the rest.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import itertools
import os
import pickle
import queue
import re
import shutil
import threading
from collections.abc import Container, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import overload

from generator.errors import BuildStopped, system_problem
from generator.memo import bytes_digest, keep, read_bytes, unpickle, write_bytes
from generator.processes import cores, forked_map


class UnsafeOutput(Exception):
    """The output folder would overwrite something that is not a built site."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_id, self.message_en = message_id, message_en


class WriteFailed(BuildStopped):
    """The system refused a write (disk full, read-only, too large); nothing was swapped in.
    The reason is said in both languages (the system says it in English only)."""

    def __init__(self, output: Path, problem: OSError) -> None:
        super().__init__(str(problem))
        reason_id, reason_en = system_problem(problem)
        self.message_id = (f"gagal menulis situs ke {output}: {reason_id}; situs lama tidak"
                           " diubah")
        self.message_en = (f"could not write the site to {output}: {reason_en}; the previous"
                           " site is unchanged")


class Outputs(MutableMapping[str, bytes]):
    """A site's files by path: bytes, or finished files (pages in the build cache, never
    changed in place) that are read only when asked for and that `publish` links into the
    site rather than writing them again. A large site's pages so stay out of memory."""

    def __init__(self, items: Iterable[tuple[str, bytes | Path]] = ()) -> None:
        self._items: dict[str, bytes | Path] = dict(items)

    def __getitem__(self, name: str) -> bytes:
        item = self._items[name]
        return read_bytes(item) if isinstance(item, Path) else item

    def __setitem__(self, name: str, data: bytes) -> None:
        self._items[name] = data

    def __delitem__(self, name: str) -> None:
        del self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def source(self, name: str) -> bytes | Path:
        """A file's bytes, or the finished file that holds them, unread."""
        return self._items[name]

    def sorted(self) -> Outputs:
        """The same files, in the order of their paths."""
        return Outputs(sorted(self._items.items()))

    def without(self, names: Container[str]) -> Outputs:
        """The other files."""
        return Outputs((name, item) for name, item in self._items.items() if name not in names)

    def split(self) -> tuple[dict[str, bytes], dict[str, Path]]:
        """The files held as bytes, and the finished files by path."""
        data = {name: item for name, item in self._items.items() if not isinstance(item, Path)}
        return data, {name: item for name, item in self._items.items() if isinstance(item, Path)}


@contextlib.contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold the output folder for one build; a second build at once is refused, not mixed in."""
    out = output.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        lock = open(out.parent / f".{out.name}.lock", "w")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise WriteFailed(output, exc) from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UnsafeOutput(
                f"pembangunan lain sedang menulis ke {output}; tunggu sampai selesai",
                f"another build is writing to {output}; wait until it ends") from None
        _remove_leftovers(out)
        yield


_BESIDE = ("staging", "old")  # the folders a publish makes beside the site (`_beside`)


def _beside(out: Path, kind: str) -> Path:
    """The folder of `kind` (`_BESIDE`) that this process's publish into `out` makes beside
    it."""
    return out.parent / f".{out.name}.{kind}-{os.getpid()}"


def _remove_leftovers(out: Path) -> None:
    """The folders beside `out` (`_beside`) that builds of it killed midway left: while the
    lock is held, no other build of it is running."""
    leftover = re.compile(rf"\.{re.escape(out.name)}\.({'|'.join(_BESIDE)})-\d+")
    try:
        with os.scandir(out.parent) as entries:
            found = [entry.path for entry in entries if leftover.fullmatch(entry.name)]
    except OSError:  # a folder that cannot be listed: they stay, as before
        return
    for folder in found:
        shutil.rmtree(folder, ignore_errors=True)


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


def _write_item(item: bytes | Path, target: Path | str) -> None:
    """Bytes written to `target`, or a finished file linked there (`_place`)."""
    if isinstance(item, Path):
        _place(item, target)
    else:
        write_bytes(target, item)


@dataclass(frozen=True)
class Manifest:
    """What the last publish left in the output folder."""

    site: str  # `site_digest` of the folder just after it
    files: Mapping[str, str]  # site path → digest of its bytes, or the cache file it links


class Staging:
    """The staging folder of a whole publish, written ahead: `add` hands it files that are
    final, which a thread writes while the build goes on (at 50,000 products, linking the
    pages took 6.7 s on one core, and the search index's 103,000 files 4.0 s more), and
    `publish` writes the rest. `kept` is the manifest that matched the output folder when the
    build began: then only the changes will be written, and nothing is written ahead."""

    def __init__(self, output: Path, kept: Manifest | None) -> None:
        out = output.resolve()
        self.kept = kept
        self.folder = _beside(out, "staging")
        self.placed: dict[str, bytes | Path] = {}  # what the thread was handed, by site path
        self._batches: queue.Queue[dict[str, bytes | Path] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._failed: Exception | None = None
        self._closing = False
        self._made: set[str] = set()  # the folders made in it

    def add(self, files: Mapping[str, bytes | Path]) -> None:
        """Have these files written into the staging folder (bytes, or finished files to
        link), unless only the changes will be published."""
        if self.kept is not None:
            return
        if self._thread is None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self._thread = threading.Thread(target=self._write, name="staging", daemon=True)
            self._thread.start()
        data, linked = files.split() if isinstance(files, Outputs) else (files, {})
        batch = {**data, **linked}
        self.placed.update(batch)
        self._batches.put(batch)

    def _write(self) -> None:
        """The thread: each batch, in path order."""
        while (batch := self._batches.get()) is not None:
            try:
                for name, item in sorted(batch.items()):
                    if self._failed is not None or self._closing:
                        break  # the build failed or was stopped: the folder goes
                    self.put(name, item)
            except Exception as exc:  # raised again by `written`
                self._failed = exc
            finally:
                self._batches.task_done()

    def put(self, name: str, item: bytes | Path) -> None:
        """One file into the staging folder now, its folder made once (by the thread, or
        by `publish` once the thread is idle). Paths are strings here, as the build's own
        threads wait for the thread whenever it runs Python (for 124,000 pages, 0.6 s rather
        than 1.9 s with `Path`s, beside 4.3 s in the system's calls)."""
        target = _inside(str(self.folder), name)
        parent = target.rpartition("/")[0]
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        _write_item(item, target)

    def written(self) -> dict[str, bytes | Path]:
        """What was handed so far, by site path, once the thread has written it. Raises what
        stopped it (an `OSError`, or a `ValueError` for a path outside the site)."""
        self._batches.join()
        if self._failed is not None:
            raise self._failed
        return self.placed

    def close(self) -> None:
        """Stop writing ahead and remove the staging folder (after a failed build, or once
        it was swapped in)."""
        if self._thread is not None:
            self._closing = True
            self._batches.put(None)
            self._thread.join()
            self._thread = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @classmethod
    def begin(cls, output: Path, manifest: Path | None, site: str | None = None) -> Staging:
        """The staging of the next publish into `output`, knowing from the `manifest` file
        whether it will write only the changes (`site`: the folder's `site_digest`, when
        worked out already); to be closed (`with`)."""
        return cls(output, _read_manifest(manifest, output.resolve(), site) if manifest
                   else None)


def publish(outputs: Mapping[str, bytes], output: Path,
            files: Mapping[str, Path] | None = None, manifest: Path | None = None,
            staging: Staging | None = None) -> str:
    """Write every output, and put every file of `files` (site path → finished file: the
    photo renditions, and the cached pages of `Outputs`) into the output folder: only what
    changed when the `manifest` file shows the folder as the last publish left it (as it did
    when `staging` began, if given), else the whole site through a staging folder (the one
    `staging` has written ahead). Returns the `site_digest` of the folder as it leaves it."""
    out = output.resolve()
    if isinstance(outputs, Outputs):
        outputs, linked = outputs.split()
        files = {**(files or {}), **linked}
    wanted = {name: bytes_digest(data) for name, data in outputs.items()}
    wanted |= {name: f"file:{source}" for name, source in (files or {}).items()}
    if staging is not None:
        kept = staging.kept
    else:
        kept = _read_manifest(manifest, out) if manifest else None
    try:
        site = _publish_changes(outputs, files or {}, out, wanted, kept) if kept else None
        if site is None:
            _publish_whole(outputs, files or {}, out, staging)
    except OSError as exc:
        raise WriteFailed(output, exc) from None
    site = site or site_digest(out)
    if manifest is not None:
        _write_manifest(manifest, out, Manifest(site, wanted))
    return site


def _publish_whole(outputs: Mapping[str, bytes], files: Mapping[str, Path], out: Path,
                   ahead: Staging | None = None) -> None:
    """Every file into the staging folder (but those `ahead` wrote, as they still are), then
    the folder swapped in."""
    out.parent.mkdir(parents=True, exist_ok=True)
    ahead = ahead or Staging(out, None)
    items: dict[str, bytes | Path] = {**outputs, **files}
    try:
        written = ahead.written()
        if not written:  # nothing was written ahead: a folder left by a killed build goes
            shutil.rmtree(ahead.folder, ignore_errors=True)
        for name in sorted(written.keys() - items.keys()):
            _remove(ahead.folder, name)
        for name, item in sorted(items.items()):
            if written.get(name) is not item:
                if name in written:  # never written through: it may be a link to the cache
                    _inside(ahead.folder, name).unlink()
                ahead.put(name, item)
        _swap(ahead.folder, out)
    finally:
        ahead.close()


def _publish_changes(outputs: Mapping[str, bytes], files: Mapping[str, Path], out: Path,
                     wanted: Mapping[str, str], kept: Manifest) -> str | None:
    """Write only what changed; None, having written nothing, when a file would take the
    place of a folder or the other way round (the whole site is written then). Returns the
    folder's `site_digest`, worked out from the entries touched rather than a walk."""
    changed = sorted(name for name, digest in wanted.items() if kept.files.get(name) != digest)
    removed = sorted(name for name in kept.files if name not in wanted)
    targets = {name: target for name in changed for target in [_inside(out, name)]
               if name not in files or not _linked_already(files[name], target)}
    if any(target.is_dir() or _file_in_path(target.parent, out) for target in targets.values()):
        return None
    touched = _touched(out, (*targets, *removed))
    before = {path: _stat(path) for path in touched}
    written: list[tuple[Path, Path]] = []
    made: list[Path] = []
    try:
        for name, target in targets.items():
            _make_folders(target.parent, made)
            temporary = target.with_name(f".{target.name}.etalase-new")
            written.append((temporary, target))
            if name in outputs:
                temporary.write_bytes(outputs[name])
            else:
                _place(files[name], temporary)
    except OSError:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    for temporary, target in written:
        os.replace(temporary, target)
    for name in removed:
        _remove(out, name)
    return _hex(_retotal(int(kept.site, 16), touched, before))


def _linked_already(source: Path, target: Path) -> bool:
    """Whether `target` is a link of the finished file `source` already, which the manifest
    named by another spelling of its path (the cache folder given relative, then absolute).
    Moving a new link onto it would do nothing and leave the new link beside it."""
    try:
        return os.path.samestat(os.stat(source), os.lstat(target))
    except OSError:
        return False


def _remove(root: Path, name: str) -> None:
    """Remove the file `name` from under `root`, and the folders it leaves empty."""
    gone = _inside(root, name)
    gone.unlink(missing_ok=True)
    for folder in gone.parents:
        if folder == root or not _remove_if_empty(folder):
            break


def _remove_if_empty(folder: Path) -> bool:
    """Remove `folder` if it is empty; whether it was. (Listing it first would list a folder
    of 10,000 products once for each product removed from it.)"""
    try:
        folder.rmdir()
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            return False
        raise
    return True


@overload
def _inside(root: Path, name: str) -> Path: ...
@overload
def _inside(root: str, name: str) -> str: ...
def _inside(root: Path | str, name: str) -> Path | str:
    """Where the site path `name` is under `root`; a `ValueError` if it would be outside."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"output path escapes the site folder: {name!r}")
    return root.joinpath(*path.parts) if isinstance(root, Path) else f"{root}/{path}"


def _file_in_path(folder: Path, root: Path) -> bool:
    """Whether a file stands where `folder`, or one of its parents under `root`, should be."""
    return any(p.exists() and not p.is_dir() for p in (folder, *folder.parents)
               if p == root or root in p.parents)


def _make_folders(folder: Path, made: list[Path]) -> None:
    """Make `folder` and its missing parents, noting each one made."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        made.append(path)


def walk(folder: Path | str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under `folder` with its path inside it, in name order, depth first;
    symbolic links are listed, not followed."""
    for name, entry in _listed(folder, prefix):
        yield name, entry
        if entry.is_dir(follow_symlinks=False):
            yield from walk(entry.path, name + "/")


def _listed(folder: Path | str, prefix: str = "") -> list[tuple[str, os.DirEntry[str]]]:
    """The entries of `folder` itself with their paths, in name order; none if unreadable."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    return [(prefix + entry.name, entry) for entry in entries]


DIGEST_BITS = 160
SPREAD = 64  # see `site_shares`


def site_digest(folder: Path, workers: int | None = None) -> str:
    """The folder as it stands: every entry's name, size and modification time. The entries'
    digests are summed, not chained, so `patch` can update it for the entries it touched
    without walking the folder again, and so that the folder's parts are walked in `workers`
    processes (by default one per core this process may use): the 71,000 entries of the
    10,000-product site in 0.45 s rather than 0.57 on two cores. `stamp.digests` walks them
    beside other work: `site_shares` are the parts, `site_share` walks one, `site_total`
    sums them."""
    shares = forked_map(site_shares(folder), site_share, workers or cores())
    return site_total(share for _, share in shares)


Share = tuple[str, os.DirEntry[str], bool]  # an entry, and whether what is under it goes with it


def site_total(shares: Iterable[int]) -> str:
    """`site_digest` from the sum of its parts' shares."""
    return _hex(sum(shares))


def site_shares(folder: Path | str, prefix: str = "") -> list[Share]:
    """The parts `site_digest` walks `folder` in: its entries, each to be summed with
    everything under it (True); in a folder of fewer than `SPREAD` entries, each folder's own
    entries are listed too, so that the work is cut in many small shares (the site's `en/`
    holds a few folders, `en/produk/` one per product)."""
    listed = _listed(folder, prefix)
    spread: list[Share] = []
    for name, entry in listed:
        if len(listed) < SPREAD and entry.is_dir(follow_symlinks=False):
            spread.append((name, entry, False))
            spread += site_shares(entry.path, name + "/")
        else:
            spread.append((name, entry, True))
    return spread


def site_share(item: Share) -> int:
    """An entry's share of `site_digest`, and with it, when `below`, everything under it."""
    name, entry, below = item
    under = walk(entry.path, name + "/") if below and entry.is_dir(follow_symlinks=False) else ()
    return sum(_entry(path, found.stat(follow_symlinks=False))
               for path, found in itertools.chain([(name, entry)], under))


def _entry(name: str, stat: os.stat_result | None) -> int:
    """One entry's share of `site_digest`; nothing for an entry that does not exist."""
    if stat is None:
        return 0
    line = f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape")
    return int.from_bytes(hashlib.blake2b(line, digest_size=DIGEST_BITS // 8).digest())


def _hex(total: int) -> str:
    return f"{total % (1 << DIGEST_BITS):0{DIGEST_BITS // 4}x}"


def _touched(out: Path, names: Iterable[str]) -> dict[Path, str]:
    """The entries of `site_digest` that writing or removing the files `names` can change:
    each file and the folders above it, by their name in the digest."""
    return {path: path.relative_to(out).as_posix() for name in names
            for target in [_inside(out, name)]
            for path in (target, *target.parents) if out in path.parents}


def _retotal(total: int, touched: Mapping[Path, str],
             before: Mapping[Path, os.stat_result | None]) -> int:
    """The sum of `site_digest` with the `touched` entries as they are now, no longer as they
    were `before`: the folder's digest without walking it."""
    return total + sum(_entry(shown, _stat(path)) - _entry(shown, before[path])
                       for path, shown in touched.items())


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat(follow_symlinks=False)
    except OSError:
        return None


def patch(outputs: Mapping[str, bytes], output: Path, manifest: Path | None = None) -> None:
    """Replace a few files of the published site in place, each through a temporary file
    renamed over it (the dev server's quick preview of an edited product, before the full
    rebuild follows). The manifest is brought up to date without walking the folder, so the
    next publish still writes only what changed; a folder that no longer matches it is left
    to the next publish, which then writes the whole site."""
    out = output.resolve()
    kept = _load_manifest(manifest, out) if manifest else None
    total = int(kept.site, 16) if kept else 0
    files = dict(kept.files) if kept else {}
    try:
        for name, data in sorted(outputs.items()):
            target = _inside(out, name)
            if not target.parent.is_dir():  # new folders change their parents: walk next time
                kept = None
            touched = _touched(out, [name])
            before = {path: _stat(path) for path in touched}
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.etalase-new")
            temporary.write_bytes(data)
            os.replace(temporary, target)
            total = _retotal(total, touched, before)
            files[name] = bytes_digest(data)
    except OSError as exc:
        raise WriteFailed(output, exc) from None
    if kept is not None and manifest is not None:
        _write_manifest(manifest, out, Manifest(_hex(total), files))


def _read_manifest(path: Path, out: Path, site: str | None = None) -> Manifest | None:
    """The manifest of the last publish into `out`, when the folder still matches it (`site`:
    its `site_digest`, when worked out already)."""
    kept = _load_manifest(path, out)
    return kept if kept is not None and kept.site == (
        site if site is not None else site_digest(out)) else None


def _load_manifest(path: Path, out: Path) -> Manifest | None:
    """The manifest of the last publish into `out`, unchecked."""
    found = unpickle(path)
    kept = found.get(str(out)) if isinstance(found, dict) else None
    return kept if isinstance(kept, Manifest) and out.is_dir() else None


def _write_manifest(path: Path, out: Path, manifest: Manifest) -> None:
    keep(path, pickle.dumps({str(out): manifest}))  # without it, the next build writes all


def _place(source: Path, target: Path | str) -> None:
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
    old = _beside(out, "old")
    shutil.rmtree(old, ignore_errors=True)
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old)
