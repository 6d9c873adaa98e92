#!/usr/bin/env bash
# Browser test of `maillage serve`: installs what it needs (Debian's Chromium, playwright-core
# from the committed lock file) only when missing, builds maillage, runs e2e/serve.test.mjs and
# e2e/search.test.mjs (directory filters and site search).
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium (apt)…"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# playwright-core, as locked; nothing to do when the installed copy matches the lock file.
wanted=$(node -p "require('./package-lock.json').packages['node_modules/playwright-core'].version")
installed=$(node -p "try { require('./node_modules/playwright-core/package.json').version } catch { '' }")
if [ "$wanted" != "$installed" ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

cargo build --quiet --bin maillage
node serve.test.mjs ../target/debug/maillage
node search.test.mjs ../target/debug/maillage
