#!/usr/bin/env bash
# Builds the base image the deployment test passes to the Dockerfile as BASE_IMAGE, without any registry:
# a rootfs holding THIS machine's node and npm, the binaries the Dockerfile's RUN lines and the agent spawn
# (sh, nsenter, unshare, find, grep and a few coreutils), every library `ldd` lists for them (and for the
# native addons in node_modules), /etc/passwd, /etc/group and /tmp, fed to `docker import`.
# Because node is the host's own, node_modules installed on the host by `npm ci` (better-sqlite3 included) has
# the right ABI inside the image: the Dockerfile's NODE_MODULES=context mode reuses it with no network.
# Idempotent: does nothing when the image exists and was built from the same files (fingerprint label below).
# Usage: .ci/build-node-base-image.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${KL_NODE_BASE_IMAGE:-kernel-ledger-test/node-base:latest}"
LABEL=org.kernel-ledger.node-base-sha256

log() { printf '[build-node-base-image] %s\n' "$*"; }

force=0
if [ "${1:-}" = "--force" ]; then force=1; fi

command -v docker >/dev/null || { log "docker CLI not found"; exit 1; }
docker info >/dev/null 2>&1 || { log "the Docker engine does not answer (docker info failed)"; exit 1; }
node_bin="$(command -v node)" || { log "node not found on PATH"; exit 1; }
npm_cli="$(command -v npm)" || { log "npm not found on PATH"; exit 1; }
# npm is a JavaScript package: <prefix>/lib/node_modules/npm, its bin/npm-cli.js is what `npm` links to.
npm_dir="$(dirname "$(dirname "$(readlink -f "$npm_cli")")")"
[ -f "$npm_dir/package.json" ] || { log "cannot find npm's package folder from $npm_cli ($npm_dir)"; exit 1; }

# Executables copied at the same path as on this machine. sh runs the Dockerfile's RUN lines and npm scripts;
# nsenter, unshare, find and grep are what the agent spawns; env runs npm's `#!/usr/bin/env node`; the rest are
# the coreutils the Dockerfile's RUN lines use.
tools=(sh env nsenter unshare find grep rm mv cp mkdir ln ls cat chmod id uname sleep true false)
executables=("$(readlink -f "$node_bin")")
for tool in "${tools[@]}"; do
  found="$(command -v "$tool")" || { log "$tool not found on PATH"; exit 1; }
  case "$found" in /*) ;; *) found="$(PATH=/usr/sbin:/usr/bin:/sbin:/bin type -P "$tool")" ;; esac
  executables+=("$found")
done
# Native addons (better-sqlite3) may link libraries node itself does not.
addons=()
if [ -d node_modules ]; then
  while IFS= read -r -d '' addon; do addons+=("$addon"); done < <(find node_modules -name '*.node' -type f -print0)
fi

# Every shared library ldd resolves, plus the dynamic loader (the line without "=>").
libraries() {
  ldd "$@" 2>/dev/null | awk '
    /=> \// { print $3; next }
    /^[[:space:]]*\/[^ ]+ \(0x/ { print $1 }
  ' | sort -u
}
mapfile -t libs < <(libraries "${executables[@]}" "${addons[@]}")
[ "${#libs[@]}" -gt 0 ] || { log "ldd listed no library for $node_bin"; exit 1; }

# Fingerprint of everything that goes in (contents and paths), so a changed node or tool rebuilds the image.
sha="$(
  {
    for f in "${executables[@]}" "${libs[@]}"; do printf '%s ' "$f"; sha256sum <"$f"; done
    printf 'npm %s\n' "$(node -p 'require(process.argv[1]).version' "$npm_dir/package.json")"
    printf 'script %s\n' "$(sha256sum <"$0")"
  } | sha256sum | cut -d' ' -f1
)"
previous_id="$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
if [ "$force" = 0 ] && current="$(docker image inspect --format "{{ index .Config.Labels \"$LABEL\" }}" "$IMAGE" 2>/dev/null)"; then
  if [ "$current" = "$sha" ]; then
    log "$IMAGE already present (fingerprint ${sha:0:12}), nothing to do"
    exit 0
  fi
  log "$IMAGE exists but was built from other files (${current:-no label}), rebuilding"
fi

started=$(date +%s%N)
rootfs="$(mktemp -d "${TMPDIR:-/tmp}/kl-node-base-rootfs.XXXXXX")"
trap 'rm -rf "$rootfs"' EXIT

# Keep this machine's layout: on a merged-/usr system /bin, /lib, /lib64 … are links into /usr.
for top in bin sbin lib lib32 lib64 libx32; do
  if [ -L "/$top" ]; then
    link="$(readlink "/$top")"
    case "$link" in /*) mkdir -p "$rootfs$link" ;; *) mkdir -p "$rootfs/$link" ;; esac
    ln -s "$link" "$rootfs/$top"
  fi
done
mkdir -p "$rootfs"/{etc,tmp,proc,sys,dev,root,run,var/tmp} "$rootfs"/usr/{bin,sbin,lib}
chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
chmod 0700 "$rootfs/root"

# Copies a file (following links) to the same path inside the rootfs; the path's own links, if any, resolve
# there as they do here because the top-level links were mirrored above.
put() {
  local source="$1" target="$rootfs$1"
  mkdir -p "$(dirname "$target")"
  cp -L --preserve=mode "$source" "$target"
}
for f in "${executables[@]}" "${libs[@]}"; do put "$f"; done
# node, npm and npx as on a usual install, whatever this machine's paths are.
[ -e "$rootfs/usr/bin/node" ] || ln -s "$(readlink -f "$node_bin")" "$rootfs/usr/bin/node"
mkdir -p "$rootfs/usr/lib/node_modules"
cp -a "$npm_dir" "$rootfs/usr/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/bin/npx"
# /bin/sh must exist by that name (Docker runs RUN lines with /bin/sh -c).
[ -e "$rootfs/bin/sh" ] || { mkdir -p "$rootfs/bin" && ln -s "$(readlink -f "$(command -v sh)")" "$rootfs/bin/sh"; }

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"

# Smoke test before import: the copied node and tools run from the rootfs alone.
if command -v chroot >/dev/null; then
  clean_env=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root)
  "${clean_env[@]}" chroot "$rootfs" /usr/bin/node -e 'process.exit(0)' || { log "node does not run inside the rootfs"; exit 1; }
  "${clean_env[@]}" chroot "$rootfs" /bin/sh -c 'nsenter --version && unshare --version && find --version && grep --version && npm --version' \
    >/dev/null || { log "a tool does not run inside the rootfs"; exit 1; }
fi

size="$(du -sh "$rootfs" | cut -f1)"
log "rootfs $rootfs ($size): node $(node --version), npm, ${#tools[@]} tools, ${#libs[@]} libraries"
image_id="$(tar -C "$rootfs" --numeric-owner --owner=0 --group=0 -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  --change "LABEL $LABEL=$sha" \
  --message "kernel-ledger test node base (node $(node --version), fingerprint ${sha:0:12})" \
  - "$IMAGE")"
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
log "imported $IMAGE as ${image_id#sha256:} in ${elapsed_ms} ms"
if [ -n "$previous_id" ] && [ "$previous_id" != "$image_id" ]; then
  # The old image is now untagged; drop it unless a container still uses it.
  docker image rm "$previous_id" >/dev/null 2>&1 && log "removed the previous image ${previous_id#sha256:}" || true
fi
