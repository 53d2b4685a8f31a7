#!/usr/bin/env bash
# Install headless Chromium (Debian's `chromium` package) for the HTML report's browser test.
#
# Does nothing when /usr/bin/chromium is already there. Installs only as root or with a sudo that
# needs no password; otherwise it says why and exits 0, so a developer without rights still runs
# the suite (the browser test then skips with a clear reason, unless LEARNSYNTH_REQUIRE_BROWSER=1,
# as in CI, makes it fail).
set -euo pipefail

CHROMIUM=${LEARNSYNTH_CHROMIUM:-/usr/bin/chromium}

if [ -x "$CHROMIUM" ]; then
    echo "install_browser: $CHROMIUM is already installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "install_browser: $CHROMIUM is missing and this user cannot install packages" \
         "(not root, no password-less sudo); the browser test will skip" >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: no apt-get on this machine; install Chromium yourself" \
         "(or set LEARNSYNTH_CHROMIUM to its path)" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
echo "install_browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
