#!/usr/bin/env bash
# Side-by-side benchmark of two revisions in one run: `bash bench/compare-revisions.sh <old-rev> [sections] [rounds]`.
# Each round runs every section for the old revision, then for this tree, so both see the same machine load; each
# figure is already a ratio against its peer measured in the same section run. Prints old vs new per figure
# (median over rounds) and writes bench/compare-revisions.json.
set -euo pipefail
cd "$(dirname "$0")/.."
old_rev="${1:?usage: compare-revisions.sh <old-rev> [sections] [rounds]}"
sections="${2:-host,netns,metrics}"
rounds="${3:-2}"
old_tree="$(mktemp -d /tmp/kl-bench-old.XXXXXX)"
trap 'git worktree remove --force "$old_tree" >/dev/null 2>&1 || rm -rf "$old_tree"' EXIT

git worktree add --detach "$old_tree" "$old_rev" >/dev/null
cp -a node_modules "$old_tree/"
(cd "$old_tree" && npm run --silent build >/dev/null)
npm run --silent build >/dev/null

out_dir="$(mktemp -d /tmp/kl-bench-compare.XXXXXX)"
for round in $(seq 1 "$rounds"); do
  for section in ${sections//,/ }; do
    for side in old new; do
      tree="$PWD"
      [ "$side" = old ] && tree="$old_tree"
      echo "== round $round, $section, $side ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
      (cd "$tree" && BENCH_ONLY="$section" flock /tmp/kl-system.lock node dist/bench/run.js >"$out_dir/$side-$section-$round.log" 2>&1) || true
      cp "$tree/bench/results.partial.json" "$out_dir/$side-$section-$round.json"
    done
  done
done

node dist/bench/compare-revisions-table.js "$out_dir" "$old_rev" | tee /dev/stderr >/dev/null
cp "$out_dir/compare.json" bench/compare-revisions.json
