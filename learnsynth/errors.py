"""Exceptions raised by learnsynth.

Every error a user can cause derives from :class:`LearnsynthError`; the command line catches it,
prints ``error: <message>`` on one line and exits with code 2. Anything else is a bug (exit 1).

::

    LearnsynthError
     ├── InvalidInputError        bad data, bad flag, bad file: names the file/table/column/flag
     │    ├── ConfigError          a profile or variability config that cannot be used
     │    └── ModelNotFoundError   no such model name or version in the store
     ├── ArtifactError            a stored model that is tampered, partial, unknown or unsafe
     └── NotFittedError           a Synthesizer used before ``fit``

Messages follow one template: *what* must be *how*, *got what*, then what to do, e.g.
``"Column 'dob' is not in model 'customers@v3'. Refit, or drop it before sampling."``
"""

from __future__ import annotations

__all__ = [
    "ArtifactError",
    "ConfigError",
    "InvalidInputError",
    "LearnsynthError",
    "ModelNotFoundError",
    "NotFittedError",
]


class LearnsynthError(Exception):
    """Root of every error a user can cause; the CLI turns it into one line and exit code 2."""


class InvalidInputError(LearnsynthError):
    """Input data, a path or a flag cannot be used as given."""


class ConfigError(InvalidInputError):
    """A configuration file is malformed or names something that does not exist."""


class ModelNotFoundError(InvalidInputError):
    """The store holds no model of that name, or not that version."""


class ArtifactError(LearnsynthError):
    """A stored model artifact failed verification or strict parsing."""


class NotFittedError(LearnsynthError):
    """A Synthesizer method that needs a fitted model was called before ``fit``."""
