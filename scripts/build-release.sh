#!/usr/bin/env bash
# Builds the self-contained Linux x86-64 binary, as the release workflow does: cargo profile
# `dist`, theme and assets embedded, the C library linked in (crt-static), so that it needs no
# shared library at all. Prints the binary's path on its last line.
#
# Needs: Rust (Cargo.toml's rust-version or newer) with its x86_64-unknown-linux-gnu target,
# a C compiler (`cc`, for libwebp) and the static C library (`libc.a`; on Debian and Ubuntu the
# package libc6-dev, which comes with gcc).
#
# `--target` must be given: with crt-static and no --target, cargo would also link the
# procedural macros statically, which rustc refuses.
set -euo pipefail
cd "$(dirname "$0")/.."

target=x86_64-unknown-linux-gnu
RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
  cargo build --locked --profile dist --target "$target" --bin maillage "$@"
echo "${CARGO_TARGET_DIR:-target}/$target/dist/maillage"
