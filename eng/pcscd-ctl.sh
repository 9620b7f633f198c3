#!/usr/bin/env bash
# Start, stop, restart or report pcscd with the vsmartcard-vpcd readers, for the hardware tests.
#
#   eng/pcscd-ctl.sh start     # idempotent; returns once both "Virtual PCD" readers are listed
#   eng/pcscd-ctl.sh stop      # idempotent; returns once pcscd has exited and its socket is gone
#   eng/pcscd-ctl.sh restart
#   eng/pcscd-ctl.sh status    # exit 0 running with both readers, 3 stopped, 1 running without them
#
# Without systemd (containers, CI) pcscd runs in the foreground under setsid with its log appended to
# $PCSCD_LOG (default /tmp/tokenservice-pcscd.log) and is stopped by the pid in /run/pcscd/pcscd.pid.
# With systemd, pcscd.socket would start it again on the next client call, so the units are used instead.
# eng/start-pcscd.sh installs the packages first; this script assumes they are there.
set -euo pipefail

readonly COMM=/run/pcscd/pcscd.comm
readonly PIDFILE=/run/pcscd/pcscd.pid
readonly LOG=${PCSCD_LOG:-/tmp/tokenservice-pcscd.log}
readonly READERS=("Virtual PCD 00 00" "Virtual PCD 00 01")
readonly START_SECONDS=${PCSCD_START_SECONDS:-15}
readonly STOP_SECONDS=${PCSCD_STOP_SECONDS:-5}

die() { echo "pcscd-ctl: $*" >&2; exit 1; }

with_systemd() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }

# The pid pcscd wrote (the file may end in a NUL byte).
daemon_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid=$(tr -dc '0-9' <"$PIDFILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = pcscd ] || return 1
  echo "$pid"
}

listed_readers() { timeout 5 pcsc_scan -r 2>/dev/null || true; }

has_all_readers() {
  local list reader
  list=$(listed_readers)
  for reader in "${READERS[@]}"; do
    grep -qF "$reader" <<<"$list" || return 1
  done
}

wait_ready() {
  local deadline=$((SECONDS + START_SECONDS))
  until [ -S "$COMM" ] && has_all_readers; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "pcscd-ctl: pcscd did not list ${READERS[*]} within ${START_SECONDS}s; last lines of $LOG:" >&2
      tail -n 20 "$LOG" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.1
  done
}

start() {
  if with_systemd; then
    systemctl start pcscd.socket pcscd.service
  elif ! daemon_pid >/dev/null; then
    # pcscd refuses to start next to a socket left by a killed daemon.
    rm -f "$COMM" "$PIDFILE"
    mkdir -p "$(dirname "$LOG")"
    echo "=== pcscd started by pcscd-ctl.sh at $(date -u +%FT%TZ)" >>"$LOG"
    # The daemon keeps no descriptor of ours beyond its log: not the lock (fd 9), and not a pipe of
    # whoever called us, which would then wait for an end of file that never comes.
    (
      for fd in /proc/self/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] && eval "exec $fd>&-"
      done 2>/dev/null
      exec setsid pcscd --foreground --info </dev/null >>"$LOG" 2>&1
    ) &
  fi
  wait_ready
}

stop() {
  if with_systemd; then
    systemctl stop pcscd.socket pcscd.service
    return
  fi
  local pid
  if pid=$(daemon_pid); then
    kill -TERM "$pid"
    local deadline=$((SECONDS + STOP_SECONDS))
    while kill -0 "$pid" 2>/dev/null; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.05
    done
  fi
  rm -f "$COMM" "$PIDFILE"
}

status() {
  local pid
  if ! pid=$(daemon_pid) && ! { with_systemd && systemctl is-active --quiet pcscd.service; }; then
    echo "pcscd: stopped"
    return 3
  fi
  echo "pcscd: running${pid:+ (pid $pid)}"
  listed_readers | grep -E '^[0-9]+: ' || true
  has_all_readers || { echo "pcscd: missing readers, expected: ${READERS[*]}"; return 1; }
}

cmd=${1:-}
case "$cmd" in
  start | stop | restart) ;;
  status) status; exit $? ;;
  *) die "usage: $0 start|stop|restart|status" ;;
esac

[ "$(id -u)" -eq 0 ] || die "$cmd needs root (pcscd owns /run/pcscd); run it with sudo"
command -v pcscd >/dev/null || die "pcscd is not installed: run eng/start-pcscd.sh (apt-get install pcscd vsmartcard-vpcd pcsc-tools)"
command -v pcsc_scan >/dev/null || die "pcsc_scan is not installed: run eng/start-pcscd.sh (apt-get install pcsc-tools)"

# One caller at a time: the tests stop and start pcscd while other runs may call start.
exec 9>/run/lock/tokenservice-pcscd-ctl.lock 2>/dev/null || exec 9>/tmp/tokenservice-pcscd-ctl.lock
flock -w 60 9 || die "another pcscd-ctl.sh held the lock for 60s"

case "$cmd" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
esac
