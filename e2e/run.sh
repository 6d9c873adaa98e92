#!/usr/bin/env bash
# Browser test of `maillage serve`: installs what it needs (Debian's Chromium, playwright-core
# from the committed lock file) only when missing, builds maillage, runs e2e/serve.test.mjs and
# e2e/search.test.mjs (directory filters and site search), e2e/edition.test.mjs (the editor, with
# the keyboard alone, and axe-core on its pages) and e2e/phone.test.mjs (every page at 320 and
# 360 px, the menu, reader tasks in taps, contrast in the light and dark themes) and
# e2e/results.test.mjs (the CPTS's results: axe-core, the charts beside their tables, their colours
# in both themes).
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium (apt)…"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# playwright-core and axe-core, as locked; nothing to do when the installed copies match the lock
# file.
for package in playwright-core axe-core; do
  wanted=$(node -p "require('./package-lock.json').packages['node_modules/$package'].version")
  installed=$(node -p "try { require('./node_modules/$package/package.json').version } catch { '' }")
  if [ "$wanted" != "$installed" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    break
  fi
done

cargo build --quiet --bin maillage
node serve.test.mjs ../target/debug/maillage
node search.test.mjs ../target/debug/maillage
node edition.test.mjs ../target/debug/maillage
node phone.test.mjs ../target/debug/maillage
node results.test.mjs ../target/debug/maillage
