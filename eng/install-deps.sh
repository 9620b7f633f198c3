#!/usr/bin/env bash
# Installs the Debian packages TokenService and its tests use, only those missing. Needs root (or sudo).
set -euo pipefail
packages=(
  softhsm2 opensc p11-kit libengine-pkcs11-openssl openssl gnutls-bin   # tokens, pkcs11-tool, TLS peers
  pcscd libpcsclite1 vsmartcard-vpcd pcsc-tools                        # PC/SC with the virtual reader
  clang zlib1g-dev                                                     # NativeAOT link step; builds softhsm-config/tools
  libp11-kit-dev jq                                                    # PKCS#11 headers for tools/; provision.sh reads the family catalog
  chromium                                                             # the page's tests (headless, DevTools protocol)
  prometheus                                                           # scrapes serve's /metrics in the hardware tests
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
