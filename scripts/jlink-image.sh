#!/usr/bin/env bash
# Links a jlink runtime image and reports it (size, module list); the build calls it at package.
#
#   scripts/jlink-image.sh JAVA_HOME OUTPUT MODULE_PATH MODULES LAUNCHER
#
# MODULES: the root modules, comma-separated; jlink adds the JDK modules they require and
# nothing else (no --bind-services: engine, journal and plugins are named in MODULES).
# LAUNCHER: name=module/mainclass, the script bin/name.
set -euo pipefail

java_home="$1" output="$2" module_path="$3" modules="$4" launcher="$5"
rm -rf "$output" # jlink will not write into an existing directory
"$java_home/bin/jlink" --module-path "$module_path" --add-modules "$modules" \
  --launcher "$launcher" --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --output "$output"
"$(dirname "$0")/image-check.sh" "$output"
