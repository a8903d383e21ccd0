#!/usr/bin/env bash
# Starts a second containerd, for the CRI system test, beside (never instead of) the Docker engine's own:
# its own root, state, socket and CNI configuration, the CRI plugin on, the "native" snapshotter (works on any
# filesystem, as dockerd --storage-driver=vfs does here), a bridge + host-local CNI network without a gateway,
# and a sandbox ("pause") image built locally from the test busybox image, so nothing is pulled from a registry.
# Idempotent: an answering socket with the images present is left alone.
# Usage: .ci/start-containerd.sh        (prints the socket path on its last line)
set -euo pipefail

BASE_ROOT="${KL_CRI_ROOT:-/var/lib/kl-containerd}"
STATE="${KL_CRI_STATE:-/run/kl-containerd}"
ETC="${KL_CRI_ETC:-/etc/kl-containerd}"
SOCKET="$STATE/containerd.sock"
TEST_IMAGE="${KL_TEST_IMAGE:-kernel-ledger-test/busybox:latest}"
SANDBOX_IMAGE="kernel-ledger-test/sandbox:latest"
CNI_BIN="${KL_CNI_BIN:-/usr/lib/cni}"
LOG=/tmp/kl-containerd.log

log() { printf '[start-containerd] %s\n' "$*" >&2; }

command -v containerd >/dev/null || { log "containerd missing: apt-get install containerd"; exit 1; }
[ -x "$CNI_BIN/bridge" ] && [ -x "$CNI_BIN/host-local" ] && [ -x "$CNI_BIN/loopback" ] ||
  { log "CNI plugins missing in $CNI_BIN: apt-get install containernetworking-plugins"; exit 1; }
docker image inspect "$TEST_IMAGE" >/dev/null 2>&1 || { log "$TEST_IMAGE missing: run .ci/build-test-image.sh"; exit 1; }

ctr_() { ctr -a "$SOCKET" -n k8s.io "$@"; }

mkdir -p "$BASE_ROOT" "$STATE" "$ETC/cni"
# Written through a temporary file and replaced only when it differs: the running containerd watches conf_dir.
install_file() { if cmp -s "$2" "$1"; then rm -f "$2"; else mv -f "$2" "$1"; fi; }
cat >"$ETC/cni/.10-kl-cri.conflist.new" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "kl-cri",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "kl-cri0",
      "isGateway": false,
      "ipMasq": false,
      "ipam": {
        "type": "host-local",
        "dataDir": "$STATE/cni-ipam",
        "ranges": [[{ "subnet": "10.231.0.0/16" }]]
      }
    }
  ]
}
JSON
install_file "$ETC/cni/10-kl-cri.conflist" "$ETC/cni/.10-kl-cri.conflist.new"
cat >"$ETC/config.toml.new" <<TOML
version = 2
root = "$BASE_ROOT"
state = "$STATE"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]

[grpc]
  address = "$SOCKET"

[ttrpc]
  address = "$STATE/containerd.sock.ttrpc"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "docker.io/$SANDBOX_IMAGE"
  restrict_oom_score_adj = true
  disable_tcp_service = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$ETC/cni"
    max_conf_num = 1
TOML
install_file "$ETC/config.toml" "$ETC/config.toml.new"

if ! ctr -a "$SOCKET" version >/dev/null 2>&1; then
  log "starting containerd (root $BASE_ROOT, state $STATE, socket $SOCKET, log $LOG)"
  # setsid: its own session, so a CI step ending does not take it down; Docker's containerd is untouched.
  setsid containerd --config "$ETC/config.toml" >>"$LOG" 2>&1 </dev/null &
  for _ in $(seq 1 60); do ctr -a "$SOCKET" version >/dev/null 2>&1 && break; sleep 0.5; done
  ctr -a "$SOCKET" version >/dev/null 2>&1 || { tail -40 "$LOG" >&2; log "containerd did not answer on $SOCKET"; exit 1; }
fi
ctr -a "$SOCKET" plugins ls 2>/dev/null | grep -q 'io.containerd.grpc.v1 *cri *.* ok' ||
  { ctr -a "$SOCKET" plugins ls >&2 || true; tail -40 "$LOG" >&2; log "the CRI plugin is not running"; exit 1; }

have() { ctr_ images ls -q 2>/dev/null | grep -qx "docker.io/$1"; }
if ! have "$SANDBOX_IMAGE" || ! have "$TEST_IMAGE"; then
  # The sandbox image: the test busybox rootfs whose command sleeps "forever" (a pause container's only job).
  if ! docker image inspect "$SANDBOX_IMAGE" >/dev/null 2>&1; then
    cid="$(docker create "$TEST_IMAGE")"
    docker export "$cid" | docker import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sleep","2147483647"]' \
      --message "kernel-ledger CRI sandbox image" - "$SANDBOX_IMAGE" >/dev/null
    docker rm "$cid" >/dev/null
  fi
  archive="$(mktemp "${TMPDIR:-/tmp}/kl-cri-images.XXXXXX.tar")"
  trap 'rm -f "$archive"' EXIT
  docker save -o "$archive" "$SANDBOX_IMAGE" "$TEST_IMAGE"
  ctr_ images import --snapshotter native "$archive" >&2
  log "imported $SANDBOX_IMAGE and $TEST_IMAGE into namespace k8s.io"
fi
echo "$SOCKET"
