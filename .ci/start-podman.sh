#!/usr/bin/env bash
# Starts podman's Docker-compatible API service on its default socket, /run/podman/podman.sock, beside (never
# instead of) the Docker engine, for the podman system test: the "vfs" storage driver (works on any filesystem,
# as dockerd --storage-driver=vfs does here), podman's own default network (netavark's "podman" bridge, its own
# iptables chains; Docker's chains and docker0 are left as they are), and the test busybox image copied from
# Docker's store, so nothing is pulled from a registry. Run it outside any `flock`: the service stays behind.
# Idempotent: an answering socket with the image present is left alone.
# Usage: .ci/start-podman.sh        (prints the socket path on its last line)
set -euo pipefail

SOCKET="${KL_PODMAN_SOCKET:-/run/podman/podman.sock}"
TEST_IMAGE="${KL_TEST_IMAGE:-kernel-ledger-test/busybox:latest}"
STORAGE_CONF=/etc/containers/storage.conf
CONTAINERS_CONF=/etc/containers/containers.conf
LOG=/tmp/kl-podman.log

log() { printf '[start-podman] %s\n' "$*" >&2; }

command -v podman >/dev/null || { log "podman missing: apt-get install podman"; exit 1; }
docker image inspect "$TEST_IMAGE" >/dev/null 2>&1 || { log "$TEST_IMAGE missing: run .ci/build-test-image.sh"; exit 1; }

# Storage: vfs, unless the machine already has its own storage.conf (then its choice stands).
if [ ! -e "$STORAGE_CONF" ]; then
  mkdir -p "$(dirname "$STORAGE_CONF")"
  printf '# Written by kernel-ledger .ci/start-podman.sh\n[storage]\ndriver = "vfs"\nrunroot = "/run/containers/storage"\ngraphroot = "/var/lib/containers/storage"\n' >"$STORAGE_CONF"
  log "wrote $STORAGE_CONF (driver vfs)"
fi
driver="$(podman info --format '{{.Store.GraphDriverName}}' 2>&1)" ||
  { log "podman info failed: $driver (a store made under another driver: podman system reset)"; exit 1; }
log "podman storage driver: $driver"

# Resource limits: as root, podman 4.3 gives every container RLIMIT_NOFILE and RLIMIT_NPROC of 1048576, and runc
# fails ("error setting rlimit type 6/7: operation not permitted") where that is above podman's own hard limits and
# CAP_SYS_RESOURCE is missing (a sandboxed CI machine). There, containers get podman's own hard limits by default,
# read from a short-lived podman process once it is up (podman itself lowers RLIMIT_NPROC at start).
cap_eff="$(awk '/^CapEff:/ { print $2 }' /proc/self/status)"
if [ $(((0x$cap_eff >> 24) & 1)) = 0 ] && [ ! -e "$CONTAINERS_CONF" ]; then
  probe_dir="$(mktemp -d "${TMPDIR:-/tmp}/kl-podman-probe.XXXXXX")"
  podman system service --time=0 "unix://$probe_dir/probe.sock" >/dev/null 2>&1 </dev/null &
  probe_pid=$!
  for _ in $(seq 1 40); do [ -S "$probe_dir/probe.sock" ] && break; sleep 0.25; done
  nofile="$(awk '/^Max open files/ { print $5 }' "/proc/$probe_pid/limits")"
  nproc="$(awk '/^Max processes/ { print $4 }' "/proc/$probe_pid/limits")"
  kill "$probe_pid" && wait "$probe_pid" 2>/dev/null || true
  rm -rf "$probe_dir"
  printf '# Written by kernel-ledger .ci/start-podman.sh: no CAP_SYS_RESOURCE, podman'"'"'s own hard limits\n[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n' \
    "$nofile" "$nofile" "$nproc" "$nproc" >"$CONTAINERS_CONF"
  log "wrote $CONTAINERS_CONF (no CAP_SYS_RESOURCE: nofile $nofile, nproc $nproc)"
fi

pong() { curl -fsS --max-time 3 --unix-socket "$SOCKET" http://podman/_ping >/dev/null 2>&1; }
if ! pong; then
  log "starting podman system service on $SOCKET (log $LOG)"
  mkdir -p "$(dirname "$SOCKET")"
  rm -f "$SOCKET"
  # setsid: its own session, so a CI step ending does not take it down; --time=0: it never exits when idle.
  setsid podman system service --time=0 "unix://$SOCKET" >>"$LOG" 2>&1 </dev/null &
  for _ in $(seq 1 60); do pong && break; sleep 0.5; done
  pong || { tail -40 "$LOG" >&2; log "podman did not answer on $SOCKET"; exit 1; }
fi

docker_id="$(docker image inspect --format '{{.Id}}' "$TEST_IMAGE")"
podman_id="$(podman image inspect --format '{{.Id}}' "$TEST_IMAGE" 2>/dev/null || true)"
if [ "${docker_id#sha256:}" != "${podman_id#sha256:}" ]; then
  # The same image (same id and labels) as Docker's: saved from Docker, loaded into podman.
  docker save "$TEST_IMAGE" | podman load >&2
  log "loaded $TEST_IMAGE into podman"
fi
echo "$SOCKET"
