#!/usr/bin/env bash
# Benchmark: whole-process wall time, CPU time and peak memory of `tokenservice check --format json` on one SoftHSM
# token versus `pkcs11-tool -M -O --login` on the same token, as paired runs (alternating, so machine noise
# hits both alike; eng/bench-pair.py), reporting medians and their ratio; then the time to check every profile.
# Usage: eng/bench-check.sh [RUNS] [PROFILE]   (defaults: 30 runs, rsa2048-full)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-30}"; profile="${2:-rsa2048-full}"
dir="${TOKENSERVICE_PROFILES:-$root/.tokenservice/profiles}"
command -v /usr/bin/time >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
command -v python3 >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-minimal >/dev/null; }
"$root/softhsm-config/provision.sh" "$dir" >/dev/null 2>&1
bin="$("$root/eng/build.sh")"
export SOFTHSM2_CONF="$dir/$profile/softhsm2.conf"
module=/usr/lib/softhsm/libsofthsm2.so
pin="$(head -1 "$dir/pin")"
echo "runs=$runs profile=$profile"
for program in "$bin" "$(dirname "$bin")/tokenservice-server"; do
  if [ -f "$program" ]; then echo "binary $(basename "$program"): $(stat -c %s "$program") bytes"; fi
done
# The code layout (eng/order-file.sh): names of the order file that the binary still has; a stale file lays out less.
order="$root/src/TokenService/tokenservice.order"
if [ -f "$order" ] && [ -f "$(dirname "$bin")/tokenservice.dbg" ]; then
  found=$(nm "$(dirname "$bin")/tokenservice.dbg" | awk '{print $NF}' | sort -u | comm -12 - <(sort -u "$order") | wc -l)
  echo "code layout: $found of $(wc -l <"$order") names of tokenservice.order are in this binary (regenerate: eng/order-file.sh)"
fi
# Paired whole-process runs (eng/bench-pair.py): wall and CPU time of exactly the process, peak RSS under GNU time.
python3 "$root/eng/bench-pair.py" "$runs" \
  -- "$bin" check --module "$module" --token "$profile" --format json --pin-file "$dir/pin" \
  -- pkcs11-tool --module "$module" --token-label "$profile" -M -O --login --pin "$pin" \
  | sed 's/^a:/tokenservice check:/; s/^b:/pkcs11-tool -M -O:/'
start=$(date +%s.%N)
"$bin" profiles "$dir/manifest.tsv" --format json >/dev/null 2>&1 || true
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$(($(wc -l < "$dir/manifest.tsv") - 1))" 'BEGIN { printf "all %d profiles (profiles command, parallel): %.3fs\n", n, e-s }'
