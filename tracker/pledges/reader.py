"""Read a crowdfunding export, one CSV or a ZIP of per-tier CSVs, as a stream of pledges.

This is the one module that speaks to the csv and zipfile libraries. `read_export` checks
the encoding of every byte and every header before it returns, then yields rows lazily,
one at a time: only the current row is ever in memory. Every byte and row is read within
`ReadLimits` (tracker.pledges.limits); past the checks only a row the csv module cannot
tokenise or one past a limit raises ExportError mid-stream.
Text is UTF-8 (with or without a byte-order mark) or, when it is not valid UTF-8,
Windows-1252 (a superset of Latin-1's printable range); anything else is refused naming
the first undecodable byte. A semicolon-separated file is read with decimal commas, as
spreadsheets in comma-decimal locales write it.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from tracker.feeds.inflate import format_size
from tracker.pledges.formats import FORMATS, ExportError, Layout, map_columns
from tracker.pledges.limits import (
    DEFAULT_LIMITS,
    BoundedRows,
    ReadLimits,
    check_zip_members,
    open_limited,
)
from tracker.pledges.rows import PledgeRow, RowError, convert_rows
from tracker.pledges.values import PledgeValueError, parse_currency

__all__ = ["ExportError", "ParsedExport", "PledgeRow", "RowError", "read_export"]

_CHUNK = 1 << 20
_BOM = codecs.BOM_UTF8
# Bytes Windows-1252 leaves undefined, and control characters no CSV text holds.
_NOT_CP1252 = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x81\x8d\x8f\x90\x9d]")
# A well-formed UTF-8 sequence inside a file that is not UTF-8 means mixed encodings.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")

Opener = Callable[[], BinaryIO]


@dataclass
class ParsedExport:
    """Name the format of an export and yield its rows lazily."""

    format: str  # kickstarter | indiegogo | opencollective | generic
    generation: str | None  # e.g. kickstarter-d
    rows: Iterator[PledgeRow | RowError]
    reread: Callable[[], Iterator[PledgeRow | RowError]]  # a fresh pass over the same rows


@dataclass(frozen=True, slots=True)
class _Member:
    """Say how to open and read one CSV: the file itself or one ZIP member."""

    source: str
    open: Opener
    encoding: str
    delimiter: str
    skip: int  # bytes of a UTF-8 byte-order mark to pass over


def _line_of(opener: Opener, offset: int) -> int:
    stream, seen, newlines = opener(), 0, 0
    while seen < offset:
        chunk = stream.read(min(_CHUNK, offset - seen))
        if not chunk:
            break
        newlines += chunk.count(b"\n")
        seen += len(chunk)
    return newlines + 1


def _first_utf8_error(opener: Opener, source: str) -> int | None:
    """Return the byte offset of the first byte UTF-8 cannot decode, or None."""
    stream = opener()
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    while chunk := stream.read(_CHUNK):
        if b"\x00" in chunk:
            at = offset + chunk.index(b"\x00")
            raise ExportError(
                f"{source} is not a CSV text file: it holds binary data at byte {at}."
            )
        pending = len(decoder.getstate()[0])
        if pending or not chunk.isascii():
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return offset - pending + exc.start
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return offset - len(decoder.getstate()[0]) + exc.start
    return None


def _choose_encoding(opener: Opener, source: str) -> str:
    """Return 'utf-8' or 'cp1252' for a file, or refuse it in one sentence."""
    head = opener().read(4096)
    if not head.removeprefix(_BOM).strip():
        raise ExportError(f"{source} is empty.")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExportError(f"{source} is UTF-16 text: save it as CSV (UTF-8) and upload it again.")
    bad = _first_utf8_error(opener, source)
    if bad is None:
        return "utf-8"
    stream, reason = opener(), None
    while chunk := stream.read(_CHUNK):
        if _NOT_CP1252.search(chunk):
            reason = "it is neither UTF-8 nor Windows-1252 text"
            break
        if _UTF8_SEQUENCE.search(chunk):
            reason = "it mixes UTF-8 with another encoding"
            break
    if reason is None:
        return "cp1252"
    stream.seek(bad)
    byte = stream.read(1)[0]
    raise ExportError(
        f"{source} cannot be decoded: {reason}, and byte 0x{byte:02X} at offset {bad} "
        f"(line {_line_of(opener, bad)}) is not valid UTF-8; save it as CSV (UTF-8)."
    )


def _choose_delimiter(opener: Opener, encoding: str) -> str:
    head = opener().read(65536).decode(encoding, errors="replace")
    first = head.lstrip("\ufeff\r\n").split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _member(source: str, opener: Opener) -> _Member:
    encoding = _choose_encoding(opener, source)
    # Plain 'utf-8' rather than 'utf-8-sig' keeps TextIOWrapper on its fast C path.
    skip = len(_BOM) if opener().read(len(_BOM)) == _BOM else 0
    return _Member(source, opener, encoding, _choose_delimiter(opener, encoding), skip)


class _Reading:
    """Open a member as text within the limits and read its header; close it when done."""

    def __init__(self, member: _Member, limits: ReadLimits, *, counted: int = 0) -> None:
        binary = member.open()
        binary.read(member.skip)
        # Closing the text closes the limited reader, which leaves a caller's file open.
        self.text = io.TextIOWrapper(binary, encoding=member.encoding, newline="")
        self.reader = BoundedRows(
            self.text,
            delimiter=member.delimiter,
            source=member.source,
            limits=limits,
            counted=counted,
        )
        try:
            header = next(self.reader)
            while not any(cell.strip() for cell in header):
                header = next(self.reader)
        except StopIteration:
            self.close()
            raise ExportError(f"{member.source} is empty.") from None
        except csv.Error as exc:
            self.close()
            raise ExportError(f"{member.source} is not a readable CSV file ({exc}).") from None
        except ExportError:
            self.close()
            raise
        self.header = header

    def close(self) -> None:
        self.text.close()


def _layout(member: _Member, fmt: str, limits: ReadLimits) -> Layout:
    reading = _Reading(member, limits)
    try:
        return map_columns(reading.header, fmt=fmt, source=member.source)
    finally:
        reading.close()


def _rows(members, fmt, default_currency, limits) -> Iterator[PledgeRow | RowError]:
    counted = 0
    for member in members:
        reading = _Reading(member, limits, counted=counted)
        try:
            layout = map_columns(reading.header, fmt=fmt, source=member.source)
            yield from convert_rows(
                layout,
                reading.reader,
                source=member.source,
                default_currency=default_currency,
                decimal_comma=member.delimiter == ";",
            )
        except csv.Error as exc:
            where = f"{member.source}:{reading.reader.line_num}"
            raise ExportError(f"{where} is not readable CSV ({exc}).") from None
        finally:
            counted = reading.reader.count
            reading.close()


def _open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str) -> BinaryIO:
    source = f"{info.filename} in {filename}"
    try:
        member = archive.open(info)
    except (zipfile.BadZipFile, NotImplementedError, EOFError) as exc:
        raise ExportError(f"{source} is damaged ({exc}): create the archive again.") from None
    # zipfile stops at the declared size; the limit guards the same bound once more.
    return open_limited(member, source=source, limit=info.file_size, owned=True)


def _zip_members(fileobj: BinaryIO, filename: str, limits: ReadLimits) -> list[_Member]:
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise ExportError(f"{filename} looks like a ZIP archive but cannot be opened.") from None
    infos = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and not info.filename.startswith("__MACOSX/")
        and not info.filename.rsplit("/", 1)[-1].startswith(".")
    ]
    if any(info.filename == "[Content_Types].xml" for info in infos):
        raise ExportError(f"{filename} is a spreadsheet workbook: export it as CSV first.")
    infos = [info for info in infos if info.filename.lower().endswith(".csv")]
    if not infos:
        raise ExportError(f"{filename} is a ZIP archive with no CSV file in it.")
    if any(info.flag_bits & 0x1 for info in infos):
        raise ExportError(f"{filename} is password-protected: upload it unencrypted.")
    check_zip_members(infos, filename, limits)
    return [
        _member(info.filename, lambda info=info: _open_member(archive, info, filename))
        for info in infos
    ]


def _plain_member(fileobj: BinaryIO, filename: str, limits: ReadLimits) -> _Member:
    size = fileobj.seek(0, io.SEEK_END)
    if size > limits.text_bytes:
        raise ExportError(
            f"{filename} is larger than the limit of {format_size(limits.text_bytes)}."
        )

    def rewind() -> BinaryIO:
        fileobj.seek(0)
        # Counted as read as well: a device or a growing file reports no honest size.
        return open_limited(fileobj, source=filename, limit=limits.text_bytes, owned=False)

    return _member(filename, rewind)


def read_export(
    fileobj: BinaryIO,
    *,
    filename: str,
    fmt: str = "auto",
    default_currency: str,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> ParsedExport:
    """Check an export's structure and return its format and a lazy stream of rows."""
    try:
        default_currency = parse_currency(default_currency)
    except PledgeValueError as exc:
        raise ValueError(f"default_currency: {exc}") from None
    if fmt != "auto" and fmt not in FORMATS:
        raise ExportError(f"Unknown format {fmt[:40]!r}: choose auto, {', '.join(FORMATS)}.")
    fileobj.seek(0)
    if fileobj.read(4) in (b"PK\x03\x04", b"PK\x05\x06"):
        members = _zip_members(fileobj, filename, limits)
    else:
        members = [_plain_member(fileobj, filename, limits)]
    layouts = [_layout(member, fmt, limits) for member in members]
    formats = {layout.format for layout in layouts}
    if len(formats) > 1:
        first = layouts[0]
        other = next(layout for layout in layouts if layout.format != first.format)
        odd = members[layouts.index(other)].source
        raise ExportError(
            f"{filename} mixes formats: {members[0].source} is {first.format} but {odd} "
            f"is {other.format}, and one import takes one format."
        )
    generations = [layout.generation for layout in layouts if layout.generation]
    return ParsedExport(
        format=layouts[0].format,
        generation=max(generations) if generations else None,
        rows=_rows(members, fmt, default_currency, limits),
        reread=lambda: _rows(members, fmt, default_currency, limits),
    )
