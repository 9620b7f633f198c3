#!/usr/bin/env bash
# Builds the native (NativeAOT) tokenservice binaries into .tokenservice/bin once, and again only when a source
# or project file changed: `tokenservice` (check, profiles, the probe host) and `tokenservice-server` (watch, serve;
# a program of its own so that its host, ASP.NET Core and OpenTelemetry cost `check` nothing). Prints the path of
# `tokenservice`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.tokenservice/bin"
bin="$out/tokenservice"
stamp="$out/.built"
projects=(src/TokenService/TokenService.csproj src/TokenService.Server/TokenService.Server.csproj)
# Sources newer than the last build, outside obj/ and bin/: a `dotnet build` or `dotnet test` (./tokenservice test)
# rewrites obj/*.json there, which is no reason to publish the native binaries again.
changed() {
  find "$root/src" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
    \( -name obj -o -name bin \) -prune -o \
    -newer "$stamp" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' -o -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.svg' -o -name '*.order' -o -name '*.c' \) -print -quit
}
if [ -x "$bin" ] && [ -x "$out/tokenservice-server" ] && [ -f "$stamp" ] && [ -z "$(changed)" ]; then
  echo "$bin"; exit 0
fi
mkdir -p "$out"
log="$root/.tokenservice/build.log"
: >"$log"
echo "building tokenservice (NativeAOT, once; log: $log)..." >&2
native=1
for project in "${projects[@]}"; do
  if ! dotnet publish "$root/$project" -c Release -r linux-x64 -p:PublishAot=true -o "$out" >>"$log" 2>&1; then
    native=0; break
  fi
done
if [ $native -eq 0 ]; then
  echo "NativeAOT build failed (see $log); falling back to a JIT build" >&2
  for project in "${projects[@]}"; do
    dotnet publish "$root/$project" -c Release -o "$out/jit" >>"$log" 2>&1 \
      || { echo "build failed: see $log" >&2; tail -20 "$log" >&2; exit 1; }
  done
  for program in tokenservice tokenservice-server; do
    printf '#!/bin/sh\nexec dotnet "%s/jit/%s.dll" "$@"\n' "$out" "$program" > "$out/$program"
    chmod +x "$out/$program"
  done
fi
touch "$stamp"
echo "$bin"
