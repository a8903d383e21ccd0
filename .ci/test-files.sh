#!/usr/bin/env bash
# Lists compiled test files (dist-test/test/**/*.test.js) for node --test, which on Node 20 takes no globs.
set -euo pipefail
find dist-test/test -name '*.test.js' | sort
