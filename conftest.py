"""Project-wide pytest set-up, for tests/ and the notebooks alike."""

from pathlib import Path


def pytest_configure(config):
    """nbval opens its sanitize file relative to the working directory: make the path
    in pyproject's addopts relative to the project instead, so pytest runs from anywhere."""
    given = getattr(config.option, "nbval_sanitize_with", None)
    if given and not Path(given).is_absolute():
        config.option.nbval_sanitize_with = str(Path(config.rootpath) / given)


# nbval waits a fixed 5 s for each output message once a cell has finished; on a machine
# busy with other work a cell's last messages (a progress bar's) can take longer than that.
NBVAL_OUTPUT_TIMEOUT = 60  # seconds


def pytest_collection_modifyitems(items):
    for item in items:
        if hasattr(item, "output_timeout"):  # an nbval notebook cell
            item.output_timeout = NBVAL_OUTPUT_TIMEOUT
