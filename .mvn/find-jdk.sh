# Sourced by ./mvnw and ./warp: sets WARP_JAVA_HOME to a JDK 25 or newer, looking at JAVA_HOME
# first and then under /usr/lib/jvm (newest first). Maven itself must run on it because the
# jar tool that maven-jar-plugin uses cannot read Java 25 module descriptors otherwise; the
# toolchains plugin then picks the same JDK for compiling and testing.
warp_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

warp_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null | sort -rV); do
    candidate="${candidate%/}"
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(warp_java_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      WARP_JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "Warp needs a JDK 25 or newer: install one (for example Temurin 25) under /usr/lib/jvm or point JAVA_HOME at it." >&2
  return 1
}
