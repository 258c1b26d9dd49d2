"""Imports read within limits: no file, ZIP or line can take the memory, the time or a 500."""

import io
import os
import resource
import struct
import subprocess
import sys
import tempfile
import threading
import zipfile
import zlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import make_campaign
from tracker.models import Pledge, PledgeImport
from tracker.pledges.limits import ReadLimits
from tracker.pledges.reader import ExportError, read_export

TRACKER = Path(sys.executable).with_name("tracker")
HEADER = b"external_id,amount,currency,pledged_at,tier,status\n"
MiB = 1 << 20
# A child may map this much address space: far above an honest import, far below the
# gigabytes the unbounded reader took, so a regression fails instead of eating the machine.
CHILD_ADDRESS_SPACE = 2 << 30
# What an import may add to the process's peak memory, over the CLI doing nothing.
MEMORY_BUDGET_KB = 100 * 1024


def _deflate_run(head: bytes, run: int) -> bytes:
    """Return a raw deflate stream of head then `run` bytes of 'A', built in milliseconds."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = [compressor.compress(head + b"A" * MiB), compressor.flush(zlib.Z_FULL_FLUSH)]
    # After a full flush every MiB of 'A' compresses to the very same bytes: repeat them.
    block = compressor.compress(b"A" * MiB) + compressor.flush(zlib.Z_FULL_FLUSH)
    out.append(block * (run // MiB - 1))
    out.append(compressor.flush())
    return b"".join(out)


def _zip_member(name: str, data: bytes, *, size: int, crc: int, method: int = 8) -> bytes:
    """Return a one-member ZIP archive of already compressed data, sizes as given."""
    name_bytes = name.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size,
        len(name_bytes), 0,
    )  # fmt: skip
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size,
        len(name_bytes), 0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    body = local + name_bytes + data
    directory = central + name_bytes
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), len(body), 0)
    return body + directory + end


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, i = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector, i = vector >> 1, i + 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, row) for row in matrix]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """Return the CRC-32 of A+B from those of A and B (zlib's crc32_combine)."""
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while length2:
        even = _gf2_square(odd)
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
    return crc1 ^ crc2


def _crc_of_run(run: int) -> int:
    """Return the CRC-32 of `run` bytes of 'A' (a multiple of 1 MiB) without reading them."""
    block, length = zlib.crc32(b"A" * MiB), MiB
    total, blocks = 0, run // MiB
    while blocks:
        if blocks & 1:
            total = crc32_combine(total, block, length)
        blocks >>= 1
        if blocks:
            block, length = crc32_combine(block, block, length), 2 * length
    return total


def bomb_zip() -> bytes:
    """Return a 4 MB ZIP whose CSV is a header and 4,000 MiB of 'A' without a newline."""
    run = 4000 * MiB
    data = _deflate_run(HEADER, run)
    crc = crc32_combine(zlib.crc32(HEADER), _crc_of_run(run), run)
    return _zip_member("report.csv", data, size=len(HEADER) + run, crc=crc)


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))


def run_child(args, *, env=None, timeout=120):
    """Run a process under the memory cap; return its exit code, output and peak RSS in KB."""
    killed = []

    def kill():
        killed.append(True)
        child.kill()

    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(
            args,
            env={**os.environ, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=_limit_memory,
        )
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            # wait4 gives this child's own peak memory, not the largest of all children.
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode(errors="replace")
    if killed:
        pytest.fail(f"{args[1:]} still ran after {timeout} s: {text[-500:]}")
    return child.returncode, text, usage.ru_maxrss


@pytest.fixture(scope="module")
def idle_cli_rss():
    """Return the peak RSS in KB of the CLI starting and doing nothing."""
    code, output, rss = run_child([str(TRACKER), "--help"], env={"TRACKER_SECRET_KEY": "x"})
    assert code == 0, output
    return rss


@pytest.fixture
def cli_env(db_url, session):
    make_campaign(session, slug="synth", currency="EUR")
    return {"TRACKER_DATABASE_URL": db_url, "TRACKER_SECRET_KEY": "test-secret-key"}


def _nothing_imported(session) -> bool:
    counts = [
        session.execute(select(func.count()).select_from(model)).scalar_one()
        for model in (Pledge, PledgeImport)
    ]
    return counts == [0, 0]


# The reader refuses these files before a row is written, whatever the database: a CLI
# process per database proved nothing more. That nothing is imported on PostgreSQL is shown
# by the upload tests below, which run on both.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_zip_bomb_is_refused_naming_member_and_limit(tmp_path, cli_env, session, idle_cli_rss):
    path = tmp_path / "bomb.zip"
    path.write_bytes(bomb_zip())
    assert path.stat().st_size < 5 * MiB
    code, output, rss = run_child(
        [str(TRACKER), "pledges", "import", "synth", str(path)], env=cli_env
    )
    assert code == 1, output
    assert "report.csv" in output and "512 MiB" in output, output
    assert "Traceback" not in output
    assert rss - idle_cli_rss < MEMORY_BUDGET_KB
    assert _nothing_imported(session)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_dev_zero_as_an_import_file_ends_with_an_error(cli_env, session):
    code, output, _ = run_child(
        [str(TRACKER), "pledges", "import", "synth", "/dev/zero"], env=cli_env, timeout=60
    )
    assert code != 0 and "zero" in output, output
    assert "Traceback" not in output
    assert _nothing_imported(session)


# Reads a plain CSV of a header and a line of 400 MiB of 'A' with no newline, generated as it
# is read: the reader must stop at the row limit instead of holding the line.
LONG_LINE_CHILD = """
import io, resource, sys
from tracker.pledges.reader import ExportError, read_export

class LongLine(io.RawIOBase):
    size = {header_size} + 400 * 2**20
    def __init__(self):
        self.position = 0
    def readable(self):
        return True
    def seekable(self):
        return True
    def seek(self, offset, whence=0):
        self.position = offset if whence == 0 else self.size + offset
        return self.position
    def tell(self):
        return self.position
    def readinto(self, buffer):
        n = max(0, min(len(buffer), self.size - self.position))
        head = {header!r}[self.position:self.position + n]
        buffer[:n] = head + b"A" * (n - len(head))
        self.position += n
        return n

before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    parsed = read_export(io.BufferedReader(LongLine()), filename="long.csv", default_currency="EUR")
    print("rows", sum(1 for _ in parsed.rows))
except ExportError as error:
    print("refused", error)
print("grew", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_a_long_line_in_a_plain_csv_stops_at_the_row_limit():
    code, output, _ = run_child(
        [sys.executable, "-c", LONG_LINE_CHILD.format(header=HEADER, header_size=len(HEADER))]
    )
    assert code == 0, output
    assert "refused long.csv:2: a row longer than 1 MiB" in output, output
    grew = int(output.rsplit("grew ", 1)[1])
    assert grew < MEMORY_BUDGET_KB


def _zip(members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


GOOD = HEADER + b"p-1,25.00,EUR,2026-11-02T10:00:00Z,Kit,collected\n"


def _with_bad_crc() -> bytes:
    data = bytearray(_zip({"report.csv": GOOD}))
    data[14] ^= 0xFF  # the CRC-32 in the local header
    central = data.index(b"PK\x01\x02")
    data[central + 16] ^= 0xFF  # and in the central directory, which zipfile trusts
    return bytes(data)


def _with_method(method: int) -> bytes:
    data = bytearray(_zip({"report.csv": GOOD}))
    struct.pack_into("<H", data, 8, method)
    struct.pack_into("<H", data, data.index(b"PK\x01\x02") + 10, method)
    return bytes(data)


def _with_corrupt_stream() -> bytes:
    compressed = zlib.compress(GOOD * 50)[2:-4]
    garbage = compressed[:40] + bytes(b ^ 0x5A for b in compressed[40:])
    return _zip_member("report.csv", garbage, size=len(GOOD) * 50, crc=zlib.crc32(GOOD * 50))


DAMAGED = [
    ("bad-crc", _with_bad_crc, "report.csv in bad-crc.zip is damaged"),
    ("deflate64", lambda: _with_method(9), "deflate64 compression"),
    ("corrupt", _with_corrupt_stream, "report.csv in corrupt.zip is damaged"),
    ("bzip2", lambda: _zip({"report.csv": GOOD}, zipfile.ZIP_BZIP2), "bzip2 compression"),
]


def _upload(client, name: str, data: bytes):
    return client.post(
        "/dashboard/synth/funding/import",
        {"report": (io.BytesIO(data), name), "format": "auto"},
        content_type="multipart/form-data",
        headers={"HX-Request": "true"},
    )


# The reader's refusal; the upload tests after this one run on both databases.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("name", "make", "message"), DAMAGED, ids=[d[0] for d in DAMAGED])
def test_damaged_zips_are_refused_clearly(client, session, founder, campaign, name, make, message):
    response = _upload(client, f"{name}.zip", make())
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _nothing_imported(session)


def test_a_zip_bomb_upload_is_refused_at_once(client, session, founder, campaign):
    response = _upload(client, "bomb.zip", bomb_zip())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "report.csv in bomb.zip would expand to 3.9 GiB, more than the limit of 512 MiB" in page
    assert _nothing_imported(session)


def test_a_plain_upload_with_a_long_line_is_refused_at_the_row_limit(
    client, session, founder, campaign
):
    response = _upload(client, "long.csv", HEADER + b"p-1," + b"9" * (3 * MiB) + b"\n")
    assert response.status_code == 422
    assert "long.csv:2: a row longer than 1 MiB" in response.get_data(as_text=True)
    assert _nothing_imported(session)


def _read(data: bytes, name: str, limits: ReadLimits):
    parsed = read_export(io.BytesIO(data), filename=name, default_currency="EUR", limits=limits)
    return list(parsed.rows)


def test_a_zip_expanding_past_the_ratio_is_refused_before_reading():
    data = _zip({"a.csv": HEADER + b"p-1,5,EUR,,," + b"A" * (4 * MiB) + b"\n"})
    with pytest.raises(ExportError, match=r"a\.csv in x\.zip would expand \d+-fold"):
        _read(data, "x.zip", ReadLimits())


def test_the_text_of_all_members_counts_against_one_limit():
    rows = b"".join(b"p-%d,5.00,EUR,,Kit,collected\n" % i for i in range(15_000))
    data = _zip({"a.csv": HEADER + rows, "b.csv": HEADER + rows})
    with pytest.raises(ExportError, match=r"the CSV files in x\.zip hold 0\.9 MiB.*512 KiB"):
        _read(data, "x.zip", ReadLimits(text_bytes=MiB // 2))
    assert len(_read(data, "x.zip", ReadLimits(text_bytes=MiB))) == 30_000
    with pytest.raises(ExportError, match=r"plain\.csv is larger than the limit of 256 KiB"):
        _read(HEADER + rows, "plain.csv", ReadLimits(text_bytes=MiB // 4))


def test_a_row_spread_over_many_short_lines_counts_as_one_row():
    cells = b'"a\n",' * 300_000
    with pytest.raises(ExportError, match=r"x\.csv:2: a row longer than 1 MiB"):
        _read(HEADER + b"p-1,5," + cells + b"\n", "x.csv", ReadLimits())


def test_the_number_of_rows_is_limited():
    rows = b"".join(b"p-%d,5.00,EUR,,Kit,collected\n" % i for i in range(101))
    with pytest.raises(ExportError, match=r"more than 100 rows"):
        _read(HEADER + rows, "x.csv", ReadLimits(rows=100))
