"""The sdist and the wheel built from it install outside the checkout, migrate, load the demo
and serve the public page, its CSS, a font, the share card and a PDF report under gunicorn.

Deselect with `-m "not wheel"`. The fresh venv gets the wheel alone (--no-deps) and sees the
project venv's third-party packages through a .pth file: no download, no second resolver
run, and neither the checkout nor its editable install of tracker on sys.path.
"""

import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pypdf
import pytest

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parents[1]
SLUG = "lumen-deck"  # tracker/demo/data/campaign.json
RESOURCES = ("templates", "static", "migrations")  # top level in the checkout, in the package
STEP_TIMEOUT = 300  # seconds; generous, a busy machine only makes the build slow


def _run(args, *, cwd, env=None, timeout=STEP_TIMEOUT) -> str:
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _checkout_files() -> list[str]:
    # What a clone holds plus what is not committed yet, less what git ignores: the build
    # must never read build/, *.egg-info or __pycache__ of the developer's checkout.
    out = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT)
    return sorted(name for name in set(out.split("\0")) if name and (ROOT / name).is_file())


def _copy_checkout(target: Path) -> list[str]:
    files = _checkout_files()
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    return files


def _packaged(files: list[str]) -> set[str]:
    """Return where each file of the package and its resources lands inside the wheel."""
    expected = set()
    for name in files:
        first = name.split("/")[0]
        if first == "tracker" or first in RESOURCES:
            expected.add(name if first == "tracker" else f"tracker/{name}")
    return expected


def _plain_env(home: Path, venv: Path, **extra: str) -> dict[str, str]:
    # Nothing of the developer's environment: no PYTHONPATH, no TRACKER_* settings.
    return {
        "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        **extra,
    }


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory):
    """Build sdist and wheel from a copy of the checkout; install the wheel into a new venv."""
    base = tmp_path_factory.mktemp("wheel")
    source, dist, venv = base / "source", base / "dist", base / "venv"
    files = _copy_checkout(source)
    # Without isolation: setuptools and build come from the dev extras, nothing is fetched.
    # Given a source folder, build makes the sdist and then the wheel from that sdist.
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, source], cwd=base)
    (sdist,) = dist.glob("tracker-*.tar.gz")
    (wheel,) = dist.glob("tracker-*.whl")
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=base)
    python = venv / "bin" / "python"
    # Install before the venv sees the project's packages, so pip finds no tracker there.
    _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel],
        cwd=base,
    )
    site = _run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=base
    )
    # A path line of a .pth file adds that folder alone: the project venv's own .pth files
    # (its editable finder for tracker among them) are not run.
    Path(site.strip(), "project_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    return {
        "base": base,
        "venv": venv,
        "python": python,
        "sdist": sdist,
        "wheel": wheel,
        "files": files,
    }


def test_the_sdist_and_the_wheel_carry_the_package_and_its_resources(wheel_venv):
    files = wheel_venv["files"]
    with zipfile.ZipFile(wheel_venv["wheel"]) as wheel:
        in_wheel = {name for name in wheel.namelist() if "__pycache__" not in name}
    missing = sorted(_packaged(files) - in_wheel)
    assert not missing, f"not in the wheel: {missing}"
    for name in (
        "tracker/translations/de/LC_MESSAGES/messages.mo",
        "tracker/migrations/env.py",
        "tracker/migrations/script.py.mako",
    ):
        assert name in in_wheel
    with tarfile.open(wheel_venv["sdist"]) as sdist:
        prefix = sdist.getnames()[0].split("/")[0]
        in_sdist = {name.removeprefix(f"{prefix}/") for name in sdist.getnames()}
    needed = {name for name in files if name.split("/")[0] in ("tracker", *RESOURCES)}
    missing = sorted(needed - in_sdist)
    assert not missing, f"not in the sdist: {missing}"


def test_the_installed_wheel_migrates_loads_the_demo_and_serves(wheel_venv):
    base, venv, python = wheel_venv["base"], wheel_venv["venv"], wheel_venv["python"]
    home = base / "home"  # the working directory of every command: outside the checkout
    home.mkdir()
    listener = socket.create_server(("127.0.0.1", 0))
    public_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    env = _plain_env(
        home, venv, TRACKER_SECRET_KEY="wheel-test-secret-key", TRACKER_PUBLIC_URL=public_url
    )
    _check_nothing_comes_from_the_checkout(python, venv, cwd=home, env=env)

    tracker = venv / "bin" / "tracker"
    assert "database at revision" in _run([tracker, "db", "upgrade"], cwd=home, env=env)
    # The default database: a SQLite file in the instance folder of the installation.
    assert (venv / "var" / "tracker-instance" / "tracker.sqlite3").is_file()
    _run([tracker, "demo"], cwd=home, env=env)
    pdf = home / "report.pdf"
    report = _run(
        [tracker, "report", SLUG, "--since-last", "--publish", "-o", pdf], cwd=home, env=env
    )
    assert "published as version 1" in report, report
    fonts = _font_names(pdf)
    assert any("Source-Sans-3" in name for name in fonts), fonts  # static/ reached WeasyPrint

    bind = f"fd://{listener.fileno()}"
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "--workers", "1", "--bind", bind, "tracker:create_app()"],
        cwd=home,
        env=env,
        pass_fds=[listener.fileno()],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # The socket listens already: requests wait in its backlog until the worker is up, and
    # fail at once should gunicorn exit (it then held the last copy).
    listener.close()
    try:
        with httpx.Client(base_url=public_url, timeout=120) as client:
            _check_served(client, public_url)
    finally:
        server.terminate()
        output = server.communicate(timeout=60)[0]
        print(output)  # shown when the test fails
    assert "Traceback" not in output


WHERE_FROM = """
import sys, tracker.resources as r
print(r.PACKAGE_DIR, r.resource_dir("templates"), r.resource_dir("static"),
      r.resource_dir("migrations"), *sys.path, sep="\\n")
"""


def _check_nothing_comes_from_the_checkout(python: Path, venv: Path, **kwargs) -> None:
    package, *resources_and_path = _run([python, "-c", WHERE_FROM], **kwargs).splitlines()
    resources, sys_path = resources_and_path[:3], resources_and_path[3:]
    assert Path(package).is_relative_to(venv), package  # the wheel's copy of tracker
    for resource in resources:
        assert Path(resource).parent == Path(package), resource
        assert Path(resource).is_dir(), resource
    # The project venv lies inside the checkout; nothing else of the checkout may be seen.
    project_venv = Path(sys.prefix).resolve()
    seen = [Path(entry).resolve() for entry in sys_path if entry]
    assert not [p for p in seen if p.is_relative_to(ROOT) and not p.is_relative_to(project_venv)]


def _font_names(pdf: Path) -> set[str]:
    pages = pypdf.PdfReader(pdf).pages
    return {
        font.get_object()["/BaseFont"]
        for page in pages
        for font in page["/Resources"].get("/Font", {}).values()
    }


def _check_served(client: httpx.Client, public_url: str) -> None:
    page = client.get(f"/c/{SLUG}")
    assert page.status_code == 200, page.text
    assert "Lumen Deck" in page.text
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page.text).group(1)
    css = client.get(stylesheet)
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert css.content == (ROOT / "static" / "css" / "tracker.css").read_bytes()

    report_css = client.get("/static/css/report.css")
    assert report_css.status_code == 200
    font_url = re.search(r"url\(([^)]+\.woff2)\)", report_css.text).group(1)
    font = client.get(urljoin(f"{public_url}/static/css/report.css", font_url))
    assert font.status_code == 200
    assert font.content.startswith(b"wOF2")

    card = client.get(f"/c/{SLUG}/card.png")  # drawn with Pillow
    assert card.status_code == 200
    assert card.content.startswith(b"\x89PNG\r\n\x1a\n")

    published = client.get(f"/c/{SLUG}/reports/1.pdf")
    assert published.status_code == 200
    assert published.content.startswith(b"%PDF-")
