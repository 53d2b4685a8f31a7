"""Which locales the fake generators know, and how a requested locale maps onto one of them.

An unknown locale falls back to a supported locale of the same language, then to ``en_US``.
Falling back is not an error here: :func:`resolve_locale` returns the locale actually used and
the caller compares it with the request to report the fallback.
"""

from __future__ import annotations

__all__ = ["DEFAULT_LOCALE", "SUPPORTED_LOCALES", "country_of", "language_of", "resolve_locale"]

SUPPORTED_LOCALES: tuple[str, ...] = (
    "en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR",
)
DEFAULT_LOCALE = "en_US"


def resolve_locale(locale: str | None) -> str:
    """The supported locale used for ``locale``.

    ``"de-DE"``, ``"de_de"`` and ``"de_DE"`` all give ``"de_DE"``; a supported language with an
    unsupported country (``"de_AT"``, ``"en"``) gives that language's first supported locale;
    anything else (``None``, ``""``, ``"ja_JP"``) gives ``"en_US"``.
    """
    if not locale or not locale.strip():
        return DEFAULT_LOCALE
    parts = locale.strip().replace("-", "_").split("_")
    language = parts[0].lower()
    if len(parts) > 1:
        exact = f"{language}_{parts[1].upper()}"
        if exact in SUPPORTED_LOCALES:
            return exact
    for candidate in SUPPORTED_LOCALES:
        if candidate.startswith(language + "_"):
            return candidate
    return DEFAULT_LOCALE


def country_of(locale: str) -> str:
    """ISO 3166 alpha-2 country code of a supported locale (``"de_DE"`` -> ``"DE"``)."""
    return resolve_locale(locale).split("_")[1]


def language_of(locale: str) -> str:
    """ISO 639-1 language code of a supported locale (``"de_DE"`` -> ``"de"``)."""
    return resolve_locale(locale).split("_")[0]
