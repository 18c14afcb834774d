"""Markdown renders like the GitHub preview editors see, and sanitising removes the dangerous."""

from __future__ import annotations

from generator.markup import removed_markup, to_html


def test_list_straight_after_a_line_of_text() -> None:
    assert to_html("Bahan:\n- Kulit sapi\n- Sol karet") == (
        "<p>Bahan:</p>\n<ul>\n<li>Kulit sapi</li>\n<li>Sol karet</li>\n</ul>")


def test_two_space_nested_list_stays_nested() -> None:
    assert to_html("- Sepatu\n  - Kulit\n- Sandal") == (
        "<ul>\n<li>Sepatu<ul>\n<li>Kulit</li>\n</ul>\n</li>\n<li>Sandal</li>\n</ul>")


def test_bare_urls_become_links() -> None:
    assert to_html("Lihat https://example.go.id/katalog") == (
        '<p>Lihat <a href="https://example.go.id/katalog" rel="noopener noreferrer">'
        "https://example.go.id/katalog</a></p>")


def test_strikethrough() -> None:
    assert to_html("~~Rp 300.000~~ Rp 275.000") == "<p><del>Rp 300.000</del> Rp 275.000</p>"


def test_tables() -> None:
    html = to_html("| Ukuran | Stok |\n|---|---|\n| 40 | 3 |")
    assert "<table>" in html and "<th>Ukuran</th>" in html and "<td>3</td>" in html


def test_h1_in_a_body_becomes_h2() -> None:
    assert to_html("# Judul") == "<h2>Judul</h2>"


def test_scripts_handlers_and_script_links_are_removed() -> None:
    html = to_html('<script>alert(1)</script>\n\n<a href="javascript:alert(1)" onclick="x()">'
                   "klik</a> [b](javascript:alert(2)) <img src=x onerror=alert(3)>")
    assert "script" not in html and "alert" not in html and "onclick" not in html
    assert "onerror" not in html and "<img" not in html
    assert "klik" in html


def test_each_removal_is_a_warning_at_its_line() -> None:
    text = "Baik.\n\n<script>alert(1)</script>\n[x](javascript:alert(1)) <b onclick=x>y</b>"
    found = [d.format() for d in removed_markup(text, "p.md", 7, "body")]
    assert found == [
        "p.md:9:1: peringatan: body: tag HTML <script> dihapus demi keamanan dan tidak akan"
        " tampil (warning: HTML tag <script> removed for safety and will not be shown)",
        "p.md:10:29: peringatan: body: atribut onclick dihapus demi keamanan dan tidak akan"
        " tampil (warning: attribute onclick removed for safety and will not be shown)",
        "p.md:10:5: peringatan: body: tautan javascript: dihapus demi keamanan dan tidak akan"
        " tampil (warning: javascript: link removed for safety and will not be shown)",
    ]


def test_a_text_renders_the_same_after_another_text() -> None:
    """One converter serves every text of a build: nothing of one text (a link reference,
    stashed HTML, an open list) may reach the next."""
    earlier = "[katalog]: https://example.go.id/lama\n\n<div>x</div>\n\n1. satu\n2. dua"
    later = "Lihat [katalog] dan [katalog][].\n\n- tiga"
    alone = to_html(later)
    to_html(earlier)
    assert to_html(later) == alone == (
        "<p>Lihat [katalog] dan [katalog][].</p>\n<ul>\n<li>tiga</li>\n</ul>")
