#!/usr/bin/env bash
# Reproducible builds: two builds of one commit give byte-identical jars (classes, -sources, -javadoc, -tests) for the
# modules with main code. The root POM's project.build.outputTimestamp fixes every jar entry's time; this script
# checks that nothing else (build time, user, JDK path, file order) gets into a jar.
#
#   release-check/reproducible-check.sh            builds twice from clean, then compares
#   release-check/reproducible-check.sh --reuse    takes the jars an earlier build left in target/ (e.g. CI's
#                                                  ./mvnw -B verify) as the first build: one build less
# Further arguments go to Maven (e.g. -o). Exits 1, naming each jar and the entries that differ, when they differ.
set -euo pipefail
cd "$(dirname "$0")/.."

# the published modules (and harness-testkit, which -am builds for their tests)
MODULES=(harness-testkit harness-core harness-junit5)
reuse=false
if [ "${1-}" = "--reuse" ]; then
  reuse=true
  shift
fi

build() {
  local modules
  modules=$(IFS=,; echo "${MODULES[*]}")
  ./mvnw -B -q "$@" clean package -pl "$modules" -am -DskipTests -Dinvoker.skip=true -Dspotless.check.skip=true \
    -Denforcer.skip=true
}

jars() {
  for m in "${MODULES[@]}"; do
    ls "$m"/target/*.jar 2>/dev/null || true
  done
}

first=$(mktemp -d)
trap 'rm -rf "$first"' EXIT

start=$(date +%s)
if [ "$reuse" = false ] || [ -z "$(jars)" ]; then
  echo "reproducible-check: build 1 of 2 (${MODULES[*]})"
  build "$@"
fi
count=0
for jar in $(jars); do
  mkdir -p "$first/$(dirname "$jar")"
  cp -p "$jar" "$first/$jar"
  count=$((count + 1))
done
if [ "$count" -eq 0 ]; then
  echo "reproducible-check: no jar was built" >&2
  exit 1
fi

echo "reproducible-check: build 2 of 2, from clean"
build "$@"

differ=0
for jar in $(cd "$first" && find . -name '*.jar' | sed 's#^\./##' | sort); do
  if [ ! -f "$jar" ]; then
    echo "NOT REBUILT: $jar" >&2
    differ=1
  elif ! cmp -s "$first/$jar" "$jar"; then
    echo "DIFFERS: $jar" >&2
    # name the entries whose content or metadata differ
    diff <(unzip -lv "$first/$jar" | awk 'NR>3 {print $1, $5, $6, $7, $8}') \
         <(unzip -lv "$jar" | awk 'NR>3 {print $1, $5, $6, $7, $8}') | head -20 >&2 || true
    differ=1
  fi
done
if [ -n "$(comm -13 <(cd "$first" && find . -name '*.jar' | sed 's#^\./##' | sort) <(jars | sort))" ]; then
  echo "NEW IN BUILD 2: $(comm -13 <(cd "$first" && find . -name '*.jar' | sed 's#^\./##' | sort) <(jars | sort))" >&2
  differ=1
fi

elapsed=$(($(date +%s) - start))
if [ "$differ" -ne 0 ]; then
  echo "reproducible-check: FAILED: two builds of this commit gave different jars (${elapsed} s)" >&2
  exit 1
fi
echo "reproducible-check: $count jars byte-identical across two builds (${elapsed} s)"
