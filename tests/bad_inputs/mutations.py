"""Small, named ways of breaking a copy of one delivered file, for the bad-input corpus.

Each function returns a ``mutate(path)`` callable that alters the file at ``path`` in place (the
test copies the file out of the read-only template first). Delimited files keep their encoding,
byte-order mark, line endings and gzip compression unless the mutation is about exactly that.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml

Mutation = Callable[[Path], None]


# --- delimited text (CSV as Danish Excel writes it) -------------------------------------------

@lru_cache(maxsize=8)
def _decoded(data: bytes) -> tuple[str, str, bool, str]:
    """(text, encoding, had BOM, newline) of a file's (decompressed) bytes."""
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8):] if bom else data
    try:
        text, encoding = body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = body.decode("cp1252"), "cp1252"
    newline = "\r\n" if "\r\n" in text[:2000] else "\n"
    return text, encoding, bom, newline


@lru_cache(maxsize=2)
def _decompressed(data: bytes) -> bytes:
    return gzip.decompress(data)


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return _decompressed(data) if path.suffix == ".gz" else data


def _write(path: Path, data: bytes) -> None:
    if path.suffix == ".gz":
        # Stored, not compressed: a valid gzip file, written in a few milliseconds.
        data = gzip.compress(data, compresslevel=0, mtime=0)
    path.write_bytes(data)


def edit_lines(edit: Callable[[list[str]], list[str] | None]) -> Mutation:
    """Edit the file as a list of lines (index 0 is line 1, the header)."""
    def mutate(path: Path) -> None:
        text, encoding, bom, newline = _decoded(_read(path))
        ends_with_newline = text.endswith(newline)
        lines = text[: -len(newline)].split(newline) if ends_with_newline else text.split(newline)
        lines = edit(lines) or lines
        out = newline.join(lines) + (newline if ends_with_newline else "")
        _write(path, (codecs.BOM_UTF8 if bom else b"") + out.encode(encoding))
    return mutate


def _index(lines: list[str], column: str) -> int:
    return lines[0].split(";").index(column)


def set_field(line: int, column: str, value: str, *, check: str | None = None) -> Mutation:
    """Set the field ``column`` on ``line`` (as an editor counts lines; the header is 1).

    ``check``: a text the line must contain before the edit (guards the corpus against a
    regenerated example)."""
    def edit(lines):
        if check is not None:
            assert check in lines[line - 1], (line, lines[line - 1])
        fields = lines[line - 1].split(";")
        fields[_index(lines, column)] = value
        lines[line - 1] = ";".join(fields)
    return edit_lines(edit)


def set_fields(column: str, value: str, where: Callable[[dict], bool],
               limit: int | None = None) -> Mutation:
    """Set ``column`` to ``value`` on every row (at most ``limit``) where ``where(row)``."""
    def edit(lines):
        names = lines[0].split(";")
        done = 0
        for number, line in enumerate(lines[1:], start=1):
            fields = line.split(";")
            if len(fields) == len(names) and where(dict(zip(names, fields))):
                fields[names.index(column)] = value
                lines[number] = ";".join(fields)
                done += 1
                if limit is not None and done >= limit:
                    break
        assert done, "no row matched"
    return edit_lines(edit)


def copy_field(column: str, from_line: int, to_line: int) -> Mutation:
    """Give ``to_line`` the value ``from_line`` has in ``column`` (a duplicate id)."""
    def edit(lines):
        i = _index(lines, column)
        value = lines[from_line - 1].split(";")[i]
        fields = lines[to_line - 1].split(";")
        fields[i] = value
        lines[to_line - 1] = ";".join(fields)
    return edit_lines(edit)


def rename_column(old: str, new: str) -> Mutation:
    def edit(lines):
        names = lines[0].split(";")
        names[names.index(old)] = new
        lines[0] = ";".join(names)
    return edit_lines(edit)


def drop_column(name: str) -> Mutation:
    def edit(lines):
        i = _index(lines, name)
        return [";".join(f for j, f in enumerate(line.split(";")) if j != i) if line else line
                for line in lines]
    return edit_lines(edit)


def add_column(name: str, value: str) -> Mutation:
    def edit(lines):
        return [lines[0] + f";{name}"] + [f"{line};{value}" if line else line
                                         for line in lines[1:]]
    return edit_lines(edit)


def replace_line(line: int, text: str) -> Mutation:
    def edit(lines):
        lines[line - 1] = text
    return edit_lines(edit)


def insert_lines(after: int, *texts: str) -> Mutation:
    def edit(lines):
        return lines[:after] + list(texts) + lines[after:]
    return edit_lines(edit)


def delete_rows(where: Callable[[dict], bool]) -> Mutation:
    """Delete every data row for which ``where(row)`` is true."""
    def edit(lines):
        names = lines[0].split(";")
        kept = [lines[0]] + [line for line in lines[1:]
                             if not where(dict(zip(names, line.split(";"))))]
        assert len(kept) < len(lines), "no row matched"
        return kept
    return edit_lines(edit)


def keep_lines(count: int) -> Mutation:
    """Keep only the first ``count`` lines (1: only the header)."""
    return edit_lines(lambda lines: lines[:count])


def cut_line(line: int, keep_fields: int) -> Mutation:
    """End the file in the middle of ``line``, after ``keep_fields`` fields: a cut-off copy."""
    def mutate(path: Path) -> None:
        text, encoding, bom, newline = _decoded(_read(path))
        lines = text.split(newline)[: line]
        lines[-1] = ";".join(lines[-1].split(";")[:keep_fields])
        _write(path, (codecs.BOM_UTF8 if bom else b"") + newline.join(lines).encode(encoding))
    return mutate


def reencode(encoding: str, *, bom: bool = False) -> Mutation:
    """Write the same text in another encoding (``utf-16`` adds its own BOM)."""
    def mutate(path: Path) -> None:
        text, _, _, _ = _decoded(_read(path))
        _write(path, (codecs.BOM_UTF8 if bom else b"") + text.encode(encoding))
    return mutate


def reencode_line(line: int, encoding: str) -> Mutation:
    """Re-encode one line only: a file whose lines mix encodings (pasted from another file)."""
    def mutate(path: Path) -> None:
        text, encoding_of_file, bom, newline = _decoded(_read(path))
        lines = text.split(newline)
        parts = [lines[i].encode(encoding if i == line - 1 else encoding_of_file)
                 for i in range(len(lines))]
        _write(path, (codecs.BOM_UTF8 if bom else b"") + newline.encode().join(parts))
    return mutate


def strip_bom() -> Mutation:
    def mutate(path: Path) -> None:
        data = _read(path)
        assert data.startswith(codecs.BOM_UTF8)
        _write(path, data[len(codecs.BOM_UTF8):])
    return mutate


def add_bom() -> Mutation:
    def mutate(path: Path) -> None:
        data = _read(path)
        assert not data.startswith(codecs.BOM_UTF8)
        _write(path, codecs.BOM_UTF8 + data)
    return mutate


def unix_newlines() -> Mutation:
    def mutate(path: Path) -> None:
        _write(path, _read(path).replace(b"\r\n", b"\n"))
    return mutate


def separator(other: str) -> Mutation:
    """Every ';' replaced by ``other`` (a CSV saved with the wrong list separator)."""
    def mutate(path: Path) -> None:
        _write(path, _read(path).replace(b";", other.encode()))
    return mutate


# --- whole files ------------------------------------------------------------------------------

def empty() -> Mutation:
    """A file of 0 bytes (for .gz: a valid gzip of nothing)."""
    return lambda path: _write(path, b"")


def cut_bytes(fraction: float) -> Mutation:
    """Keep only the first ``fraction`` of the file's bytes (an interrupted copy)."""
    def mutate(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * fraction)])
    return mutate


def garbage(data: bytes) -> Mutation:
    return lambda path: path.write_bytes(data)


def delete() -> Mutation:
    return lambda path: path.unlink()


def rename_to(name: str) -> Mutation:
    return lambda path: path.rename(path.with_name(name))


def write_text(text: str, encoding: str = "utf-8") -> Mutation:
    """A new file at ``path`` (one the template does not have) with ``text``."""
    return lambda path: path.write_bytes(text.encode(encoding))


def copy_to(name: str, *, compress: bool = False) -> Mutation:
    """A copy of the file beside it, named ``name`` (gzip-compressed if ``compress``)."""
    def mutate(path: Path) -> None:
        data = path.read_bytes()
        path.with_name(name).write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return mutate


def mac_newlines() -> Mutation:
    """Old Mac line ends: CR only."""
    def mutate(path: Path) -> None:
        data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r")
        path.write_bytes(data)
    return mutate


def append_text(text: str) -> Mutation:
    def mutate(path: Path) -> None:
        path.write_bytes(path.read_bytes() + text.encode("utf-8"))
    return mutate


def add_file(name: str, text: str) -> Mutation:
    """A new file beside ``path`` (the case's file is then left as it is)."""
    return lambda path: path.with_name(name).write_text(text, encoding="utf-8")


# --- JSON, YAML, workbooks --------------------------------------------------------------------

def edit_json(edit: Callable[[dict], None]) -> Mutation:
    def mutate(path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return mutate


def feature(code: str, edit: Callable[[dict], None]) -> Mutation:
    """Edit the GeoJSON feature whose property ``code`` is ``code``."""
    def change(data):
        (match,) = [f for f in data["features"] if f["properties"].get("code") == code]
        edit(match)
    return edit_json(change)


def replace_text(old: str, new: str, count: int = 1) -> Mutation:
    """Replace ``old`` by ``new`` in a text file (YAML keeps its comments this way)."""
    def mutate(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (old, path)
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return mutate


def regex_text(pattern: str, new: str) -> Mutation:
    def mutate(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        text, n = re.subn(pattern, new, text, count=1, flags=re.M)
        assert n == 1, (pattern, path)
        path.write_text(text, encoding="utf-8")
    return mutate


def edit_yaml(edit: Callable[[dict], None]) -> Mutation:
    def mutate(path: Path) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return mutate


def workbook(edit: Callable) -> Mutation:
    """Edit the workbook with openpyxl (``edit(wb)``) and save it."""
    def mutate(path: Path) -> None:
        import openpyxl

        wb = openpyxl.load_workbook(path)
        edit(wb)
        wb.save(path)
    return mutate


def cell(sheet: str, row: int, column: str, value) -> Mutation:
    """Set the cell in ``row`` (Excel's number; the header is 1) of the column headed ``column``."""
    def edit(wb):
        ws = wb[sheet]
        heads = [c.value for c in ws[1]]
        ws.cell(row=row, column=heads.index(column) + 1).value = value
    return workbook(edit)


def then(*mutations: Mutation) -> Mutation:
    """Several mutations of the same file, one after the other."""
    def mutate(path: Path) -> None:
        for m in mutations:
            m(path)
    return mutate
