"""The demo's data files, shipped inside the package under tracker/data/demo/."""

from importlib import resources


def read_demo_file(name: str) -> bytes:
    """Return the bytes of a file of the demo data."""
    return resources.files("tracker").joinpath("data", "demo", name).read_bytes()
