"""Find the app's templates, static files and migrations, in a checkout and in a wheel."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the directory `name` (templates, static, migrations) of this installation."""
    # A wheel carries them inside the package; a checkout keeps them at the top level,
    # beside the package, as the project's design card names them.
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name
