"""The `etalase` command: argv → a stage; the only place that prints verdicts and exits.

Exit codes: 0 success, 1 content errors (or warnings with --strict), 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from generator import __version__
from generator.build import BuildOptions, build, source_date
from generator.errors import (
    BuildStopped,
    ContentErrors,
    Diagnostic,
    did_you_mean,
    failure,
    summary,
    system_problem,
)
from generator.formats import duration
from generator.timings import cpu_seconds, report
from generator.write import UnsafeOutput

# `etalase schema` kinds, the keys of `schema.KINDS`: named here so that a command that does
# not need the schema (or the pipeline, see `build`) does not import it; test_cli checks.
SCHEMA_KINDS = ("categories", "facility", "page", "product", "site")

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command line that cannot be carried out, said in both languages."""


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help, its usage line named in Indonesian first."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup],
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups,
                          "pemakaian (usage): " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, saying what is wrong with a command line in Indonesian first, then
    in English (argparse says it in English only), and where to read how to write it; its
    help in Indonesian first too (argparse's own headings and `--help` are English)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{"formatter_class": _HelpFormatter, **kwargs,
                                   "add_help": False})
        self._positionals.title = "argumen (arguments)"
        self._optionals.title = "opsi (options)"
        self.add_argument("-h", "--help", action="help",
                          help="tampilkan bantuan ini lalu keluar (show this help and exit)")

    def error(self, message: str) -> NoReturn:
        said_id, said_en = _usage_problem(message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"etalase: galat: {said_id} (error: {said_en}); lihat"
                              f" {self.prog} --help (see {self.prog} --help)\n")


# argparse's messages (Python 3.11), by what follows "argument X: " when there is one; the
# messages of this command's own checks (`_day`, `_positive`) already say both, "id (en)".
_USAGE_PROBLEMS = (
    (re.compile(r"unrecognized arguments: (.*)"),
     "argumen tidak dikenal: {0}", "unknown arguments: {0}"),
    (re.compile(r"the following arguments are required: (.*)"),
     "argumen ini wajib ditulis: {0}", "these arguments are required: {0}"),
    (re.compile(r"invalid choice: '(?P<word>.*)' \(choose from (?P<choices>.*)\)"),
     "\"{0}\" tidak dikenal; pilih salah satu: {1}", "\"{0}\" is not known; choose one of {1}"),
    (re.compile(r"expected (?:one|at least one|\d+) arguments?"),
     "perlu diberi nilai", "needs a value"),
    (re.compile(r"ignored explicit argument '(.*)'"),
     "tidak menerima nilai \"{0}\"", "takes no value, not \"{0}\""),
    (re.compile(r"invalid (?:int|float) value: '(.*)'"),
     "harus angka, tertulis \"{0}\"", "must be a number, not \"{0}\""),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"),
     "{0} bisa berarti {1}; tulis lengkap", "{0} could mean {1}; write it in full"),
    (re.compile(r"(.*) \((.*)\)"), "{0}", "{1}"),
)


def _usage_problem(message: str) -> tuple[str, str]:
    """argparse's `message` in Indonesian and English (as it is when not known)."""
    name, colon, problem = message.partition(": ") if message.startswith("argument ") \
        else ("", "", message)
    for pattern, said_id, said_en in _USAGE_PROBLEMS:
        found = pattern.fullmatch(problem)
        if found:
            parts = found.groups()
            said_id, said_en = said_id.format(*parts), said_en.format(*parts)
            if "choices" in pattern.groupindex:  # and a suggestion among them
                choices = re.findall(r"'([^']*)'", found["choices"])
                also_id, also_en = did_you_mean(found["word"], choices)
                said_id, said_en = said_id + also_id, said_en + also_en
            break
    else:
        said_id = said_en = problem
    if not colon:
        return said_id, said_en
    argument = name.removeprefix("argument ")
    return f"argumen {argument}: {said_id}", f"argument {argument}: {said_en}"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="etalase", description="Etalase: katalog statis karya warga binaan "
        "(static catalogue of goods made in correctional workshops)")
    parser.add_argument("--version", action="version", version=f"etalase {__version__}",
                        help="tampilkan versi lalu keluar (show the version and exit)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="PERINTAH",
                                     title="perintah (commands)")

    def command(name: str, said: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=said, description=said)

    b = command("build", "bangun situs (build the site)")
    _content_args(b)
    b.add_argument("--out", type=Path, default=Path("site"), metavar="FOLDER",
                   help="folder keluaran (output folder; default site/)")
    b.add_argument("--base-url", metavar="URL", help="alamat situs, menggantikan base_url di"
                   " site.yaml (the site's address, instead of base_url in site.yaml)")
    b.add_argument("--drafts", action="store_true",
                   help="ikutkan produk draft (include draft products)")
    b.add_argument("--previous", type=Path, metavar="FOLDER", help="situs terbitan sebelumnya"
                   " untuk daftar perubahan (the previously published site, for the list of"
                   " changes; default: the --out folder)")
    b.add_argument("--no-pdf", dest="pdf", action="store_false", help="tanpa katalog saku PDF,"
                   " lebih cepat (skip the pocket-catalogue PDFs)")
    b.add_argument("--timings", action="store_true", help="tampilkan waktu tiap tahap"
                   " pembangunan (print how long each stage of the build took)")
    c = command("check", "periksa konten saja (validate only)")
    _content_args(c)
    c.add_argument("--drafts", action="store_true", help=argparse.SUPPRESS)
    s = command("serve", "server pratinjau dengan muat ulang otomatis"
                " (preview server that reloads the browser)")
    s.add_argument("--content", type=Path, default=Path("content"), metavar="FOLDER",
                   help="folder konten (content folder; default content/)")
    s.add_argument("--out", type=Path, default=Path("site"), metavar="FOLDER",
                   help="folder keluaran (output folder; default site/)")
    s.add_argument("--host", default="127.0.0.1", help="alamat server (address to listen on;"
                   " default 127.0.0.1, this computer only)")
    s.add_argument("--port", type=int, default=8000, help="port server (port; default 8000)")
    s.add_argument("--drafts", action="store_true",
                   help="ikutkan produk draft (include draft products)")
    s.add_argument("--pdf", action="store_true", help="buat juga katalog saku PDF (also make the"
                   " pocket-catalogue PDFs; slow on large catalogues)")
    _photo_args(s)
    n = command("new", "buat berkas produk atau unit baru (create a product or unit file)")
    n.add_argument("kind", choices=("product", "facility"),
                   help="product (produk) atau facility (unit)")
    n.add_argument("--name", required=True, help="nama produk atau unit (its name)")
    n.add_argument("--facility", metavar="SLUG",
                   help="slug unit pembuat, untuk produk (the maker unit's slug, for a product)")
    n.add_argument("--category", metavar="SLUG",
                   help="slug kategori, untuk produk (the category's slug, for a product)")
    n.add_argument("--content", type=Path, default=Path("content"), metavar="FOLDER",
                   help="folder konten (content folder; default content/)")
    im = command("import", "impor produk dari CSV/XLSX (import products)")
    im.add_argument("file", type=Path, help="lembar CSV atau XLSX (the CSV or XLSX sheet)")
    im.add_argument("--content", type=Path, default=Path("content"), metavar="FOLDER",
                    help="folder konten (content folder; default content/)")
    im.add_argument("--facility", metavar="SLUG", help="slug unit bila lembar tidak punya kolom"
                    " facility (the unit's slug, when the sheet has no facility column)")
    im.add_argument("--dry-run", action="store_true", help="tampilkan saja, jangan tulis"
                    " (show, write nothing)")
    ex = command("export", "ekspor produk ke CSV/XLSX (export products)")
    ex.add_argument("--content", type=Path, default=Path("content"), metavar="FOLDER",
                    help="folder konten (content folder; default content/)")
    ex.add_argument("--format", choices=("csv", "xlsx"), default="csv",
                    help="bentuk berkas (file format; default csv)")
    ex.add_argument("--output", type=Path, metavar="FILE", help="berkas tujuan; CSV ke layar"
                    " bila kosong (the file to write; CSV to the screen when not given)")
    sc = command("schema", "cetak JSON Schema berkas konten (print JSON Schema)")
    sc.add_argument("kind", nargs="?", default="product", choices=SCHEMA_KINDS,
                    help="jenis berkas konten (the kind of content file; default product)")
    sc.add_argument("--out", type=Path, metavar="FOLDER",
                    help="tulis semua skema ke folder ini (write every schema to this folder)")
    return parser


def _content_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="FOLDER",
                        help="folder konten (content folder; default content/)")
    parser.add_argument("--strict", action="store_true",
                        help="peringatan dianggap galat (warnings fail the build)")
    parser.add_argument("--today", type=_day, metavar="TTTT-BB-HH",
                        help="tanggal hari ini untuk memeriksa transaksi; bawaan: "
                        "SOURCE_DATE_EPOCH, lalu jam komputer (today, for dating sales)")
    _photo_args(parser)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"tanggal harus TTTT-BB-HH, tertulis \"{text}\" (date must be YYYY-MM-DD)") from None


def _today(args: argparse.Namespace) -> dt.date:
    """The last day a sale may carry: --today, else SOURCE_DATE_EPOCH, else this computer's
    date. Only the command line reads the clock; `build` itself never does."""
    given: dt.date | None = getattr(args, "today", None)
    return given or source_date() or dt.date.today()


def _photo_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache", type=Path, default=Path(".cache"), metavar="FOLDER",
                        help="folder tembolok: foto dan lainnya (build cache; default .cache/)")
    parser.add_argument("--jobs", type=_positive, default=None, metavar="N",
                        help="jumlah proses pengolah foto (photo workers; default: one per core)")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"harus bilangan bulat 1 atau lebih: {text}"
                                         " (must be a whole number from 1)")
    return int(text)


def _print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    if diagnostics:
        print(summary(diagnostics), file=sys.stderr)


def _options(args: argparse.Namespace) -> BuildOptions:
    if not args.content.is_dir():
        raise UsageError(f"folder konten tidak ditemukan: {args.content} "
                         f"(content folder not found)")
    if args.cache.exists() and not args.cache.is_dir():
        raise UsageError(f"--cache harus folder, bukan berkas: {args.cache}"
                         f" (--cache must be a folder, not a file)")
    base_url = getattr(args, "base_url", None)
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"--base-url harus alamat http:// atau https:// lengkap: {base_url}"
                             " (--base-url must be an absolute http(s) URL)")
    return BuildOptions(content_dir=args.content, output_dir=getattr(args, "out", Path("site")),
                        base_url=base_url, drafts=args.drafts,
                        strict=getattr(args, "strict", False), today=_today(args),
                        cache_dir=args.cache, workers=args.jobs,
                        previous_dir=getattr(args, "previous", None),
                        pocket=getattr(args, "pdf", True))


def _run_build(args: argparse.Namespace) -> int:
    started, cpu = time.perf_counter(), cpu_seconds()
    result = build(_options(args))
    _print_diagnostics(result.diagnostics)
    seconds = time.perf_counter() - started
    took, took_en = duration(seconds)
    if result.unchanged_files is not None:
        print(f"Situs sudah terbaru: tidak ada yang berubah sejak pembangunan terakhir;"
              f" {result.unchanged_files} berkas di {args.out}/ ({took})"
              f" (site up to date: nothing changed since the last build;"
              f" {result.unchanged_files} files, {took_en})")
    else:
        files = len(result.outputs) + len(result.photos.files)
        processed, reused = result.photos.processed, result.photos.reused
        print(f"Situs selesai dibangun: {files} berkas di {args.out}/ dalam {took}; foto:"
              f" {processed} diolah, {reused} dari tembolok (site built: {files} files in"
              f" {took_en}; photos: {processed} processed, {reused} from the cache)")
    if args.timings:
        print(report(result.stages, seconds, cpu_seconds() - cpu))
    return EXIT_OK


def _run_check(args: argparse.Namespace) -> int:
    from generator.pipeline import check

    catalog, diagnostics = check(_options(args))
    _print_diagnostics(diagnostics)
    print(f"Konten baik: {len(catalog.products)} produk, {len(catalog.facilities)} unit, "
          f"{len(catalog.transactions)} transaksi (content OK)")
    return EXIT_OK


def _run_schema(args: argparse.Namespace) -> int:
    from generator.schema import render_schema

    if args.out is None:
        sys.stdout.write(render_schema(args.kind))
        return EXIT_OK
    args.out.mkdir(parents=True, exist_ok=True)
    for kind in SCHEMA_KINDS:
        (args.out / f"{kind}.schema.json").write_text(render_schema(kind), encoding="utf-8")
        print(args.out / f"{kind}.schema.json")
    return EXIT_OK


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "build":
        return _run_build(args)
    if args.command == "check":
        return _run_check(args)
    if args.command == "schema":
        return _run_schema(args)
    if args.command in ("import", "export"):
        from generator.exchange import run_export, run_import

        return run_import(args) if args.command == "import" else run_export(args)
    if args.command == "serve":
        from generator.serve import serve

        return serve(_options(args), args.host, args.port)
    from generator.new import new_file

    path = new_file(args.kind, args.name, args.content, args.facility, args.category)
    print(f"Berkas baru: {path} (new file written); isi field-nya lalu jalankan etalase check")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except ContentErrors as exc:
        _print_diagnostics(exc.diagnostics)
        if args.command == "build":
            print("Situs tidak diubah (the site was not changed).", file=sys.stderr)
        return EXIT_CONTENT
    except BuildStopped as exc:
        print(f"etalase: {failure(exc)}", file=sys.stderr)
        return EXIT_CONTENT
    except UnsafeOutput as exc:
        print(f"etalase: {failure(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"etalase: galat: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # a file or folder named on the command line, or the cache's
        said_id, said_en = system_problem(exc)
        kept_id, kept_en = ("; situs lama tidak diubah", "; the previous site is unchanged") \
            if args.command == "build" else ("", "")
        where_id, where_en = (f" {exc.filename}", f" {exc.filename}") if exc.filename \
            else ("", " a file")  # a write to a file already open names none
        print(f"etalase: galat: tidak bisa membaca atau menulis{where_id}: {said_id}{kept_id}"
              f" (error: could not read or write{where_en}: {said_en}{kept_en})",
              file=sys.stderr)
        return EXIT_CONTENT
