"""The demo's data files, shipped inside the package under tracker/demo/data/."""

from importlib import resources


def read_demo_file(name: str) -> bytes:
    """Return the bytes of a file of the demo data."""
    return resources.files("tracker.demo").joinpath("data", name).read_bytes()
