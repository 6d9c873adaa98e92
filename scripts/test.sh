#!/usr/bin/env bash
# The whole test suite, as README.md's second command: installs what the tests need when it is
# missing (fast when present), then runs the Rust tests and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# OpenSSH's server (tests/publish.rs) and actionlint, installed only when missing.
scripts/test-deps.sh
cargo test
# Browser tests (installs Chromium and playwright-core when missing).
e2e/run.sh
