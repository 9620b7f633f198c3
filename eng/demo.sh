#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, provisions the demo SoftHSM profiles
# (card families) into .tokenservice/profiles, and prints the verdict table of each.
# Extra arguments go to `tokenservice profiles` (e.g. --format json).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/eng/install-deps.sh"
dir="${TOKENSERVICE_PROFILES:-$root/.tokenservice/profiles}"
"$root/softhsm-config/provision.sh" "$dir" >/dev/null
bin="$("$root/eng/build.sh")"
exec "$bin" profiles "$dir/manifest.tsv" "$@"
