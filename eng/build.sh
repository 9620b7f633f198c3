#!/usr/bin/env bash
# Builds the native (NativeAOT) tokenservice binary into .tokenservice/bin once, and again only when a
# source or project file changed. Prints the binary's path.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.tokenservice/bin"
bin="$out/tokenservice"
stamp="$out/.built"
if [ -x "$bin" ] && [ -f "$stamp" ] && \
   [ -z "$(find "$root/src" "$root/Directory.Build.props" "$root/Directory.Packages.props" -newer "$stamp" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' \) -print -quit)" ]; then
  echo "$bin"; exit 0
fi
mkdir -p "$out"
log="$root/.tokenservice/build.log"
echo "building tokenservice (NativeAOT, once; log: $log)..." >&2
if ! dotnet publish "$root/src/TokenService/TokenService.csproj" -c Release -r linux-x64 -p:PublishAot=true \
     -o "$out" >"$log" 2>&1; then
  echo "NativeAOT build failed (see $log); falling back to a JIT build" >&2
  dotnet publish "$root/src/TokenService/TokenService.csproj" -c Release -o "$out/jit" >>"$log" 2>&1 \
    || { echo "build failed: see $log" >&2; tail -20 "$log" >&2; exit 1; }
  printf '#!/bin/sh\nexec dotnet "%s/jit/tokenservice.dll" "$@"\n' "$out" > "$bin"
  chmod +x "$bin"
fi
touch "$stamp"
echo "$bin"
