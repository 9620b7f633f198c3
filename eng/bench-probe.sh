#!/usr/bin/env bash
# Benchmark: probe latency through started probe hosts (the service's path from card event to verdict, minus
# PC/SC), for the NativeAOT binary and for a JIT build, on SoftHSM profiles. Prints, per profile, the host start,
# the first probe (module load + C_Initialize + inventory + verdicts) and p50/p95 of COUNT repeated probes,
# round trip and inside the host.
# Usage: eng/bench-probe.sh [COUNT] [PROFILE...]   (defaults: 200; rsa2048-full ec-p256 rsa-pkcs1-only)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-200}"; shift || true
profiles=("$@"); [ ${#profiles[@]} -gt 0 ] || profiles=(rsa2048-full ec-p256 rsa-pkcs1-only)
dir="${TOKENSERVICE_PROFILES:-$root/.tokenservice/profiles}"
"$root/softhsm-config/provision.sh" "$dir" >/dev/null 2>&1
bindings="$root/.tokenservice/bench-probe-bindings.json"
{
  echo "["
  for i in "${!profiles[@]}"; do
    p="${profiles[$i]}"
    [ "$i" -gt 0 ] && echo ","
    printf '  { "reader": "Bench Reader %02d", "module": "/usr/lib/softhsm/libsofthsm2.so", "environment": { "SOFTHSM2_CONF": "%s" }, "token": "%s", "pinFile": "%s" }' \
      "$i" "$dir/$p/softhsm2.conf" "$p" "$dir/pin"
  done
  echo; echo "]"
} > "$bindings"
bin="$("$root/eng/build.sh")"
echo "== NativeAOT ($bin)"
"$bin" bench-probe --bindings "$bindings" --count "$count"
dotnet build "$root/src/TokenService.Server/TokenService.Server.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
echo "== JIT (dotnet tokenservice-server.dll; hosts: dotnet tokenservice.dll)"
dotnet "$root/src/TokenService.Server/bin/Release/net10.0/tokenservice-server.dll" bench-probe --bindings "$bindings" --count "$count"
