# kernel-ledger agent image. Multi-stage: the build stage compiles TypeScript and leaves production
# dependencies only; the final stage holds node, dist/ and those dependencies, nothing else of the project.
#
#   docker build -t kernel-ledger .                   # or: docker compose build
#
# BASE_IMAGE is used by both stages, so better-sqlite3's native addon is built for (or checked against) the
# very Node that runs it. It must be glibc-based and provide sh, nsenter and unshare (util-linux), find
# (findutils) and grep: the agent spawns them. node:20-bookworm-slim has all of them.
#
# NODE_MODULES chooses where node_modules comes from:
#   install (default)  `npm ci` from package-lock.json inside the build (needs the npm registry; python3, make
#                      and g++ are installed with apt when better-sqlite3 has to be compiled from source).
#   context            the build context's node_modules, installed by `npm ci` on a Linux host whose Node has
#                      the same ABI as the base image. For offline builds: CI builds with a base made from its
#                      own node binary (.ci/build-node-base-image.sh), where no registry is reachable. The stage
#                      fails unless better-sqlite3 loads in the base image.
# Either way the build stage runs `npm run build`, then `npm prune --omit=dev`, and only the pruned tree is copied.
# Written for both the legacy builder and BuildKit (no BuildKit-only syntax).
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BASE_IMAGE} AS build
ARG NODE_MODULES=install
# Dependencies first, in their own layer, so a source change does not reinstall them (install mode only).
COPY package.json package-lock.json /deps/
RUN set -eu; \
    if [ "$NODE_MODULES" = install ]; then \
      if ! command -v g++ >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
        apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*; \
      fi; \
      cd /deps && npm ci --no-audit --no-fund; \
    fi
COPY . /app/
# One RUN for the rest: every instruction is a layer, and some CI daemons store each layer as a full copy (vfs).
RUN set -eu; \
    cd /app; \
    case "$NODE_MODULES" in \
      install) rm -rf node_modules && mv /deps/node_modules ./node_modules ;; \
      context) [ -d node_modules ] || { echo 'NODE_MODULES=context: the build context has no node_modules (run npm ci first)' >&2; exit 1; } ;; \
      *) echo "NODE_MODULES must be install or context, not '$NODE_MODULES'" >&2; exit 1 ;; \
    esac; \
    node -e "new (require('better-sqlite3'))(':memory:').close()" || { \
      echo 'better-sqlite3 does not load with the base image node (wrong platform, libc or Node ABI)' >&2; exit 1; }; \
    for tool in nsenter unshare find grep; do \
      command -v "$tool" >/dev/null 2>&1 || { echo "the base image lacks $tool (util-linux, findutils, grep)" >&2; exit 1; }; \
    done; \
    npm run build; \
    npm prune --omit=dev --no-audit --no-fund; \
    rm -rf dist/bench; \
    mkdir -p /out/app; \
    mkdir -p -m 0700 /out/var/lib/kernel-ledger; \
    mv package.json node_modules dist /out/app/

FROM ${BASE_IMAGE}
# The agent runs as root (the base image's default user), on purpose. Its job needs, in the host's initial user
# namespace:
# - CAP_SYS_ADMIN to enter other namespace sets (setns(2) in `nsenter --net/--ipc/--uts`) and for the start-up
#   probe `unshare --net --ipc --uts` (a fresh namespace set, to classify keys);
# - CAP_SYS_PTRACE (ptrace read access) to open /proc/<pid>/ns/* of processes it did not start, PID 1 included;
# - uid 0 to read the sysctls of mode 0600 (net.core.bpf_jit_harden, kernel.cad_pid, …), owned by root.
# A non-root user would need those capabilities carried through exec into nsenter and unshare (ambient
# capabilities on every spawn) and still could not read the 0600 keys. docker-compose.yml drops every other
# capability (cap_drop: ALL), so this root holds three capabilities, not a full root's.
# DB_PATH is on the volume docker-compose.yml mounts; the agent's files are under /app. The database folder is
# 0700 (a new named volume takes the image folder's mode) and the agent creates the file 0600: it holds webhook
# secrets and Basic-auth passwords.
#
# Memory (README, "Memory"; bench figure 4 starts the agent with this CMD's node arguments and these variables).
# Without them the agent sits at ~290 MiB after 100 snapshots of 61 namespace sets, most of it garbage V8 and glibc
# keep around, not live data (~45 MiB of live heap, mostly the loaded modules' code and sources):
# - --max-semi-space-size=1: a 2 MiB young generation instead of up to 32 MiB (V8's default here);
# - --heap-growing-percent=10: the old generation is collected when it has grown 10% (or 2 MiB) past what the
#   last full GC kept, instead of up to 4x. Soft limits: no cap, so a host with many more namespace sets still
#   gets the heap it needs (--max-old-space-size would crash it instead). Not --optimize-for-size: its
#   memory-reducing full GCs saved ~8 MiB but made the incident report's p99 ~1.6x (bench figure 6);
# - MALLOC_ARENA_MAX=2: two glibc arenas instead of eight per core, for V8's and libuv's threads;
#   MALLOC_MMAP_THRESHOLD_: blocks of 64 KiB and more (child pipe reads, large SQLite statements) are mapped and
#   unmapped on their own instead of fragmenting the heap; MALLOC_TRIM_THRESHOLD_ returns freed memory at the
#   top of the heap sooner.
# The cost is CPU: more frequent, smaller collections (README, Performance).
ENV NODE_ENV=production \
    HOST=127.0.0.1 \
    PORT=9477 \
    DB_PATH=/var/lib/kernel-ledger/kernel-ledger.sqlite \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=65536 \
    MALLOC_TRIM_THRESHOLD_=131072
CMD ["node", "--max-semi-space-size=1", "--heap-growing-percent=10", "/app/dist/src/main.js"]
# Last, so the instructions above stay cached while the application changes.
COPY --from=build /out/ /
