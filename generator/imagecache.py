"""Image cache: a photo's bytes and the rendition settings → the folder of its finished files.

The cache lives outside the site (by default `.cache/images/`), so it outlives every build,
failed ones included:

    <cache>/<key[:2]>/<key>/    320.webp 320.jpg ... 1600.jpg og.jpg meta.json
    <cache>/sources.json        file → size, modification time, inode, SHA-256 of its bytes

The key is the SHA-256 of the photo's bytes and of the settings' fingerprint, so a changed
photo or a changed setting gets a new entry and an unchanged one is never processed again.
Reading every photo to hash it would cost more than the rest of a warm build, so
`sources.json` remembers each file's digest beside its size, modification time and inode, as
git's index does; a digest is remembered only for a file last changed well before it was read.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path

MEMO = "sources.json"
_SETTLED_NS = 2_000_000_000  # a file changed this recently may change again unseen
_CHUNK = 1 << 20

Memo = dict[str, tuple[int, int, int, str]]  # absolute path → (size, mtime_ns, inode, digest)


def load_memo(cache_dir: Path) -> Memo:
    """The remembered digests; empty when the cache is new or its memo unreadable."""
    try:
        data = json.loads((cache_dir / MEMO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {path: (int(v[0]), int(v[1]), int(v[2]), str(v[3])) for path, v in data.items()
            if isinstance(v, list) and len(v) == 4}


def save_memo(cache_dir: Path, memo: Mapping[str, tuple[int, int, int, str]]) -> None:
    """Write the memo atomically: a build running beside this one reads the old or the new."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = cache_dir / f"{MEMO}.tmp-{os.getpid()}"
    temporary.write_text(json.dumps(dict(sorted(memo.items()))), encoding="utf-8")
    temporary.replace(cache_dir / MEMO)


def digest(path: Path, memo: Memo) -> str | None:
    """SHA-256 of the file's bytes, from the memo when the file is unchanged; None when the
    file cannot be read. A new digest is added to `memo`."""
    try:
        status = path.stat()
    except OSError:
        return None
    key = str(path.resolve())
    stamp = (status.st_size, status.st_mtime_ns, status.st_ino)
    known = memo.get(key)
    if known and known[:3] == stamp:
        return known[3]
    read_at = time.time_ns()
    found = _hash_file(path)
    if found is not None and status.st_mtime_ns < read_at - _SETTLED_NS:
        memo[key] = (*stamp, found)
    return found


def _hash_file(path: Path) -> str | None:
    sha = hashlib.sha256()
    try:
        with path.open("rb") as file:
            while chunk := file.read(_CHUNK):
                sha.update(chunk)
    except OSError:
        return None
    return sha.hexdigest()


def entry_dir(cache_dir: Path, source_digest: str, fingerprint: str) -> Path:
    """The folder holding the renditions of the photo whose bytes hash to `source_digest`."""
    key = hashlib.sha256(f"{source_digest}\n{fingerprint}".encode()).hexdigest()[:40]
    return cache_dir / key[:2] / key
