#!/usr/bin/env bash
# Makes sure pcscd runs with the two vsmartcard-vpcd readers ("Virtual PCD 00 00" on TCP 35963,
# "Virtual PCD 00 01" on 35964) that tests/Hardware drives. Idempotent; needs root.
# Installs pcscd, vsmartcard-vpcd, pcsc-tools and libpcsclite1 with apt-get when any is missing
# (apt-get update runs only then), checks the vpcd reader configuration, then calls
# eng/pcscd-ctl.sh start. Stop or restart the daemon with eng/pcscd-ctl.sh.
set -euo pipefail

readonly PACKAGES=(pcscd vsmartcard-vpcd pcsc-tools libpcsclite1)
readonly VPCD_CONF=/etc/reader.conf.d/vpcd

die() { echo "start-pcscd: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root to install packages and run pcscd; run: sudo $0"

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get: install them with the system's package manager"
  echo "start-pcscd: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null || die "apt-get update failed"
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
fi

[ -f "$VPCD_CONF" ] || die "$VPCD_CONF is missing: it is shipped by vsmartcard-vpcd (apt-get install --reinstall vsmartcard-vpcd)"

exec "$(dirname "$(readlink -f "$0")")/pcscd-ctl.sh" start
