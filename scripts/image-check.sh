#!/usr/bin/env bash
# Reports a jlink image and, with a command, runs a short workload through it.
#
#   scripts/image-check.sh IMAGE                          size and module list
#   scripts/image-check.sh IMAGE EXPECTED LAUNCHER ARGS.. and runs IMAGE/bin/LAUNCHER ARGS..,
#                                                         failing unless it exits 0 and prints
#                                                         a line starting with EXPECTED
#
# The build calls it: after jlink (report) and in the integration-test phase (the workload).
set -euo pipefail

image="$1"
[ -x "$image/bin/java" ] || { echo "image-check: no image at $image (run ./mvnw package)" >&2; exit 1; }

if [ $# -eq 1 ]; then
  modules="$("$image/bin/java" --list-modules)"
  echo "image $(basename "$image"): $(du -sh "$image" | cut -f1) on disk ($(du -sb "$image" | cut -f1) bytes), $(echo "$modules" | wc -l) modules:"
  echo "$modules" | sed 's/^/  /'
  exit 0
fi

expected="$2"
launcher="$3"
shift 3
echo "image $(basename "$image"): running bin/$launcher $*"
output="$("$image/bin/$launcher" "$@")" || { echo "$output"; echo "image-check: bin/$launcher failed" >&2; exit 1; }
echo "$output" | sed 's/^/  /'
if ! grep -q "^$expected" <<<"$output"; then
  echo "image-check: bin/$launcher did not print a line starting with '$expected'" >&2
  exit 1
fi
