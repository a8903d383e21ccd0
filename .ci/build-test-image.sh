#!/usr/bin/env bash
# Builds the Docker image the system tests run containers from, without any registry: a tiny rootfs holding the
# statically linked /bin/busybox (Debian package busybox-static) and one link per applet, fed to `docker import`.
# Idempotent: does nothing when the image exists and was built from the same busybox binary (label below).
# Usage: .ci/build-test-image.sh [--force]
set -euo pipefail

IMAGE="${KL_TEST_IMAGE:-kernel-ledger-test/busybox:latest}"
BUSYBOX="${KL_BUSYBOX:-/bin/busybox}"
LABEL=org.kernel-ledger.busybox-sha256

log() { printf '[build-test-image] %s\n' "$*"; }

force=0
if [ "${1:-}" = "--force" ]; then force=1; fi

command -v docker >/dev/null || { log "docker CLI not found"; exit 1; }
docker info >/dev/null 2>&1 || { log "the Docker engine does not answer (docker info failed)"; exit 1; }
[ -x "$BUSYBOX" ] || { log "$BUSYBOX missing: apt-get install busybox-static"; exit 1; }
if ! file_type="$(LC_ALL=C file -b "$BUSYBOX" 2>/dev/null)"; then file_type=unknown; fi
case "$file_type" in
  *dynamically*) log "$BUSYBOX is dynamically linked ($file_type): install busybox-static"; exit 1 ;;
esac

sha="$(sha256sum "$BUSYBOX" | cut -d' ' -f1)"
previous_id="$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
if [ "$force" = 0 ] && current="$(docker image inspect --format "{{ index .Config.Labels \"$LABEL\" }}" "$IMAGE" 2>/dev/null)"; then
  if [ "$current" = "$sha" ]; then
    log "$IMAGE already present (busybox sha256 ${sha:0:12}), nothing to do"
    exit 0
  fi
  log "$IMAGE exists but was built from another busybox (${current:-no label}), rebuilding"
fi

started=$(date +%s%N)
rootfs="$(mktemp -d "${TMPDIR:-/tmp}/kl-test-rootfs.XXXXXX")"
trap 'rm -rf "$rootfs"' EXIT

mkdir -p "$rootfs"/{bin,etc,tmp,proc,sys,dev,root}
chmod 1777 "$rootfs/tmp"
chmod 0700 "$rootfs/root"
cp "$BUSYBOX" "$rootfs/bin/busybox"
chmod 0755 "$rootfs/bin/busybox"
applets=0
while IFS= read -r applet; do
  [ -n "$applet" ] && [ "$applet" != busybox ] || continue
  ln -sf busybox "$rootfs/bin/$applet"
  applets=$((applets + 1))
done < <("$BUSYBOX" --list)
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"

log "rootfs $rootfs: bin/busybox + $applets applet links, /etc/passwd, /etc/group, /tmp"
image_id="$(tar -C "$rootfs" --numeric-owner --owner=0 --group=0 -c . | docker import \
  --change 'ENV PATH=/bin' \
  --change 'CMD ["sleep", "3600"]' \
  --change "LABEL $LABEL=$sha" \
  --message "kernel-ledger test image (busybox ${sha:0:12})" \
  - "$IMAGE")"
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
log "imported $IMAGE as ${image_id#sha256:} in ${elapsed_ms} ms"
if [ -n "$previous_id" ] && [ "$previous_id" != "$image_id" ]; then
  # The old image is now untagged; drop it unless a container still uses it.
  docker image rm "$previous_id" >/dev/null 2>&1 && log "removed the previous image ${previous_id#sha256:}" || true
fi
