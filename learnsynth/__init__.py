"""learnsynth: learn a statistical model from sample data, generate synthetic data from it."""

from learnsynth._version import __version__
from learnsynth.config import ProfileOptions
from learnsynth.errors import (
    ArtifactError,
    ConfigError,
    InvalidInputError,
    LearnsynthError,
    ModelNotFoundError,
    NotFittedError,
)
from learnsynth.synthesizer import Synthesizer

__all__ = [
    "ArtifactError",
    "ConfigError",
    "InvalidInputError",
    "LearnsynthError",
    "ModelNotFoundError",
    "NotFittedError",
    "ProfileOptions",
    "Synthesizer",
    "__version__",
]
