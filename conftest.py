"""Project-wide pytest set-up, for tests/ and the notebooks alike."""
from pathlib import Path


def pytest_configure(config):
    """nbval opens its sanitize file relative to the working directory: make the path
    in pyproject's addopts relative to the project instead, so pytest runs from anywhere."""
    given = getattr(config.option, "nbval_sanitize_with", None)
    if given and not Path(given).is_absolute():
        config.option.nbval_sanitize_with = str(Path(config.rootpath) / given)
