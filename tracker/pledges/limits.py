"""Read an export's bytes and rows within limits, so that no input can take memory or time.

Every byte an import reads passes through a `LimitedReader`, and every row through
`BoundedRows`. Together they bound memory by construction, whatever the input claims:
a ZIP member is checked against its declared size and compression ratio before it is
opened (zipfile never inflates past the declared size), the text of one import is
counted as it is read, and one CSV row, however many physical lines its quoted cells
span, is read at most `row_chars` characters at a time.
"""

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from tracker.feeds.inflate import format_size
from tracker.pledges.formats import ExportError
from tracker.text import strip_forbidden_chars

MiB = 1 << 20
# Only these are read: zipfile inflates deflate in bounded steps, but bzip2 and lzma in
# whole input chunks of unbounded output, and deflate64 not at all.
ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
ZIP_METHOD_NAMES = {9: "deflate64", zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma"}


@dataclass(frozen=True)
class ReadLimits:
    """Say how much one import may read; the defaults fit the largest real campaigns."""

    # All CSV text of one import, after decompression: 2.5 times a 200,000-backer report.
    text_bytes: int = 512 * MiB
    # One row, every physical line of it; the csv module's own field limit is 128 KiB.
    row_chars: int = 1 * MiB
    # Pledges in one file: twice the most-backed campaign so far. Bounds the memory of
    # the duplicate check, which remembers every key of the file (about 130 bytes each).
    rows: int = 500_000
    # Decompressed / compressed size of a ZIP member: real exports compress 5 to 20-fold.
    ratio: int = 100
    # Members smaller than this may compress better without harm.
    ratio_floor: int = 1 * MiB


DEFAULT_LIMITS = ReadLimits()


def check_zip_members(infos: list[zipfile.ZipInfo], filename: str, limits: ReadLimits) -> None:
    """Refuse members the importer cannot read or that would expand past the limits."""
    for info in infos:
        if info.compress_type not in ZIP_METHODS:
            method = ZIP_METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise ExportError(
                f"{info.filename} in {filename} uses {method} compression, which the "
                "importer does not read: create the ZIP again with standard compression."
            )
        if info.file_size > limits.text_bytes:
            raise ExportError(
                f"{info.filename} in {filename} would expand to {_size(info.file_size)}, "
                f"more than the limit of {format_size(limits.text_bytes)}."
            )
        if info.file_size > limits.ratio_floor:
            ratio = info.file_size // max(info.compress_size, 1)
            if ratio > limits.ratio:
                raise ExportError(
                    f"{info.filename} in {filename} would expand {ratio}-fold, more than the "
                    f"limit of {limits.ratio}-fold: this is not a backer report."
                )
    total = sum(info.file_size for info in infos)
    if total > limits.text_bytes:
        raise ExportError(
            f"the CSV files in {filename} hold {_size(total)}, more than the limit of "
            f"{format_size(limits.text_bytes)}: split the archive."
        )


def _size(size: int) -> str:
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GiB"
    return f"{size / MiB:.1f} MiB"


class LimitedReader(io.RawIOBase):
    """Read a binary stream, refusing to pass `limit` bytes and naming a damaged member."""

    def __init__(self, raw: BinaryIO, *, source: str, limit: int, owned: bool) -> None:
        super().__init__()
        self.raw, self.source, self.limit, self.owned = raw, source, limit, owned
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        want = min(len(buffer), self.limit + 1 - self.position)
        try:
            data = self.raw.read(want) if want > 0 else self.raw.read(1)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise ExportError(
                f"{self.source} is damaged ({exc}): create the file or the archive again."
            ) from None
        self.position += len(data)
        if self.position > self.limit:
            raise ExportError(
                f"{self.source} is larger than the limit of {format_size(self.limit)}."
            )
        buffer[: len(data)] = data
        return len(data)

    def seekable(self) -> bool:
        return self.raw.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = self.raw.seek(offset, whence)
        return self.position

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        # The caller's own file outlives the reading; a ZIP member is ours to close.
        if self.owned and not self.closed:
            self.raw.close()
        super().close()


def open_limited(raw: BinaryIO, *, source: str, limit: int, owned: bool) -> BinaryIO:
    """Return a buffered, limited reader of raw."""
    return io.BufferedReader(LimitedReader(raw, source=source, limit=limit, owned=owned), MiB)


class BoundedRows:
    """Yield the rows of a CSV text stream, refusing a row longer than `limit` characters.

    The csv module reads whole physical lines, so one 4 GiB line would sit in memory
    before its field limit applies. Here lines come from readline(n), which never reads
    more than n characters, and the count spans every line of one row: a row of many
    short quoted lines is bounded as well.
    """

    def __init__(
        self, text: TextIO, *, delimiter: str, source: str, limits: ReadLimits, counted: int = 0
    ) -> None:
        self.source, self.limit, self.used, self.start = source, limits.row_chars, 0, 1
        # Rows of earlier members count too: the limit is on the whole import.
        self.count, self.max_count = counted, limits.rows
        self.reader = csv.reader(self._lines(text), delimiter=delimiter)

    def _lines(self, text: TextIO) -> Iterator[str]:
        readline, limit = text.readline, self.limit
        while line := readline(limit - self.used + 1):
            self.used += len(line)
            if self.used > limit:
                raise ExportError(
                    f"{self.source}:{self.start}: a row longer than "
                    f"{format_size(limit)}: this is not a backer report."
                )
            # Cells are stored and printed in XML: drop the characters XML forbids.
            yield strip_forbidden_chars(line)

    @property
    def line_num(self) -> int:
        return self.reader.line_num

    def __iter__(self) -> "BoundedRows":
        return self

    def __next__(self) -> list[str]:
        self.used, self.start = 0, self.reader.line_num + 1
        row = next(self.reader)
        self.count += 1
        if self.count > self.max_count:
            raise ExportError(
                f"{self.source} has more than {self.max_count:,} rows (the header included): "
                "split it into smaller files."
            )
        return row
