"""Map the checkout's top-level templates/, static/ and migrations/ into the package.

The design card keeps them beside tracker/; a built wheel (and so `pip install .`) carries
them as tracker/templates, tracker/static and tracker/migrations, where
tracker.resources.resource_dir looks first. An editable install (`pip install -e .`) maps
nothing onto the disk, so a checkout keeps using the top-level folders. The files each
takes are package-data in pyproject.toml; everything else is configured there too.
"""

from setuptools import find_packages, setup

RESOURCES = ("templates", "static", "migrations")

setup(
    # Found, not listed: a new area package needs no edit here.
    packages=[
        *find_packages(include=["tracker", "tracker.*"]),
        *(f"tracker.{name}" for name in RESOURCES),
    ],
    package_dir={f"tracker.{name}": name for name in RESOURCES},
)
