"""Fuzzing: whatever an editor (or an attacker) writes, the answer is a message, never a crash.

`make test` runs a few hundred examples per property; `make fuzz` runs the same with the
`fuzz` profile (10,000 each).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import BuildOptions
from generator.errors import ContentErrors
from generator.load import load_sources
from generator.pipeline import render
from generator.strict_yaml import Parsed, YamlProblem, _parse_checked, parse_yaml
from generator.validate import build_catalog
from tests.conftest import MINIMAL, PRODUCT, write_tree

YAML_BITS = st.sampled_from([
    "name: ", "price: ", "15.000", "- ", "  ", "\t", ":", "&a ", "*a", "!!python/object ",
    "'", '"', "---\n", "\n", "{", "}", "[", "]", "#", "2024-02-30", "0712", "no", "12:30",
    "<script>", "\u202e", "\u200b", "\x00", "\ufeff", "é", "|", ">", "? ", ",",
])
YAML_LIKE = st.lists(st.one_of(YAML_BITS, st.text(max_size=8)), max_size=40).map("".join)
FIELDS = st.sampled_from(["name", "facility", "category", "unit", "price", "sku", "images",
                          "ekatalog", "specs", "en", "added", "stock", "warna"])
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
              st.text(max_size=20), st.dates()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=8)
SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow], deadline=None)


@SETTINGS
@given(YAML_LIKE)
def test_strict_yaml_answers_every_text_with_data_or_a_problem(text: str) -> None:
    try:
        parse_yaml(text)
    except YamlProblem as problem:
        assert problem.message_id and problem.message_en


@SETTINGS
@given(st.one_of(YAML_LIKE, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_any_product_file_gives_diagnostics_not_exceptions(tmp_path_factory, text: str) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    write_tree(root, {**MINIMAL, "products/lapas-serang/sepatu-kulit.md": text})
    catalog, found = build_catalog(load_sources(root))
    assert catalog is not None or any(d.severity == "error" for d in found)
    for diagnostic in found:
        assert diagnostic.format().count(": ") >= 2


@SETTINGS
@given(st.dictionaries(FIELDS, VALUES, max_size=8))
def test_any_front_matter_data_gives_diagnostics_not_exceptions(tmp_path_factory,
                                                                data: dict[str, object]) -> None:
    import yaml

    root = tmp_path_factory.mktemp("fuzz")
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\nIsi.\n"
    write_tree(root, {**MINIMAL, "products/lapas-serang/sepatu-kulit.md": text})
    build_catalog(load_sources(root))


@settings(SETTINGS, max_examples=40)
@given(name=st.text(min_size=1, max_size=40).filter(str.strip),
       body=st.text(max_size=200))
def test_any_valid_text_renders_escaped(tmp_path_factory, name: str, body: str) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    product = PRODUCT.replace("name: Sepatu Kulit", f"name: {_quoted(name)}")
    write_tree(root, {**MINIMAL, "products/lapas-serang/sepatu-kulit.md": product + body})
    try:
        result = render(BuildOptions(content_dir=root, output_dir=root.parent / "out"))
    except ContentErrors:
        return
    page = result.outputs["produk/sepatu-kulit/index.html"].decode()
    assert "<script>" not in name or "<script>" + name not in page
    assert "<script" not in page.split("</head>")[1].replace("<script type", "")
    shutil.rmtree(root)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _outcome(text: str, parse: Callable[[str], Parsed]) -> str:
    """What a loader makes of `text`, spelled out: the data and every position, or the
    problem with its place."""
    try:
        parsed = parse(text)
    except YamlProblem as problem:
        return f"{problem.line}:{problem.column} {problem.message_id} | {problem.message_en}"
    return repr((parsed.data, sorted(parsed.values.items()), sorted(parsed.keys.items())))


@SETTINGS
@given(st.one_of(YAML_LIKE, st.dictionaries(FIELDS, VALUES, max_size=8).map(yaml.safe_dump)))
def test_libyaml_loads_every_text_as_the_checking_loader_does(text: str) -> None:
    """Most files load through libyaml; whatever it makes of a text (data, positions, block
    styles, the problem and its place) must be what the checking loader makes of it."""
    assert _outcome(text, parse_yaml) == _outcome(text, _parse_checked)


MARKDOWN_BITS = st.sampled_from([
    "`", "``", "\\", "\\\\", "@", "a@b.co", "x.y@", "[", "]", "![", "(", ")", "[a](b)", "[a]",
    "[a]: http://x.id\n", "://", "http://", "https://x.id/p", "ftp://", "www.", "WwW.", "ww",
    "w.", "<", ">", "<http://a.id>", "<a@b.id>", "*", "_", "~~", " ", "  \n", "\n", "\n\n",
    "- ", "1. ", "> ", "#", "&amp;", "é", "ſ", "\n=", "\n-", "\n===\n", "\n---", "## ", "\n# ",
    "\n> ", ">", "#\n",
])
MARKDOWN_LIKE = st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=6)), max_size=40).map("".join)


@SETTINGS
@given(MARKDOWN_LIKE)
def test_markdown_guards_change_nothing(text: str) -> None:
    """The guarded patterns (`markup.GUARDS`, `BLOCK_GUARDS`) skip only text in which they
    find nothing."""
    from generator.markup import converter
    assert converter().convert(text) == converter(guarded=False).convert(text)
