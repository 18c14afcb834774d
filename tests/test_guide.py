"""The editor's guide explains every message the generator can print.

Messages are found in the source: the Indonesian text of every error, warning and refusal
(calls such as `error(...)`, `warning(...)`, `RowError(...)`, and (Indonesian, English) pairs
in the message tables and helpers). Each
one's fixed words must appear in docs/panduan-editor.md, next to how to fix it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from tests.conftest import ROOT

GUIDE = ROOT / "docs" / "panduan-editor.md"
GUIDE_EN = ROOT / "docs" / "editor-guide.md"
CALLS = {"error", "warning", "_removed", "_at", "_fail", "RowError", "CellError",
         "YamlProblem", "UnsafeOutput", "UsageError", "Diagnostic"}
INDONESIAN = re.compile(r"\b(harus|tidak|wajib|dihapus|berkas|gunakan|tulis|karakter|sudah|"
                        r"hanya|bukan|terlalu|isi|kolom|tanggal|alamat|gambar|folder|nama|"
                        r"berisi|boleh|dipakai|pembangunan|gagal|YAML|kendali|membeli)\b")
ENGLISH = re.compile(r"\b(is|are|the|must|not|file|written|allowed|should|invalid)\b")
NOT_MESSAGES = {"schema.py", "admin.py"}  # field help texts, not messages


def _literal_parts(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value if isinstance(v, ast.Constant) else "\0" for v in node.values]
    if isinstance(node, ast.BinOp):
        return _literal_parts(node.left) + _literal_parts(node.right)
    return []


def stem(node: ast.expr) -> str | None:
    """The longest run of fixed words in an Indonesian message, or None if it is not one."""
    text = "".join(_literal_parts(node)).split(" (error")[0].split(" (content")[0]
    if " (--" in text:
        text = text.split(" (--")[0]
    if not text or not INDONESIAN.search(text) or ENGLISH.search(text.replace("\0", " ")):
        return None
    pieces = [p.strip(" ;:,.()\"") for p in text.split("\0")]
    best = max(pieces, key=len)
    return best if len(best) >= 8 else None


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def message_stems() -> Iterator[tuple[str, str]]:
    """(source file, fixed words) of every Indonesian message in generator/."""
    for path in sorted((ROOT / "generator").glob("*.py")):
        if path.name in NOT_MESSAGES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            candidates: list[ast.expr] = []
            if isinstance(node, ast.Call) and _name(node) in CALLS:
                candidates = list(node.args)
            elif isinstance(node, ast.Tuple) and len(node.elts) >= 2 and all(
                    _literal_parts(e) for e in node.elts[:2]):
                candidates = list(node.elts[:2])  # ("Indonesian", "English") pairs
            for candidate in candidates:
                found = stem(candidate)
                if found:
                    yield path.name, found


def test_the_source_has_the_messages_we_expect_to_find() -> None:
    stems = {s for _, s in message_stems()}
    assert "wajib diisi; tambahkan baris" in stems
    assert "tautan simbolik (symlink) tidak diizinkan; salin berkasnya ke sini" in stems
    assert len(stems) >= 50


def test_every_message_is_in_the_indonesian_guide() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    missing = sorted({f"{file}: {s}" for file, s in message_stems() if s not in guide})
    assert missing == []


def test_the_english_guide_has_the_same_sections() -> None:
    headings = [line for line in GUIDE.read_text(encoding="utf-8").splitlines()
                if line.startswith("#")]
    english = [line for line in GUIDE_EN.read_text(encoding="utf-8").splitlines()
               if line.startswith("#")]
    assert len(headings) == len(english)
