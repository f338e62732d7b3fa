#!/usr/bin/env bash
# Builds the library of this checkout, then the JMH benchmarks against it, then runs them.
#
#   benchmarks/run.sh [quick|full] [JMH regex] [extra JMH args...]
#
# quick: 1 fork, short iterations (minutes); full: the annotations' settings.
# Results: benchmarks/results/<mode>-<timestamp>.json (JMH JSON).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-quick}
shift || true
regex=${1:-.}
shift || true

mvn -q -B -DskipTests -Djacoco.skip=true install
# Maven 3.8 wraps even -q output in colour codes: strip them
version=$(mvn -q -B help:evaluate -Dexpression=project.version -DforceStdout \
  | sed 's/\x1b\[[0-9;]*m//g')
mvn -q -B -f benchmarks/pom.xml -Dhivemesh.version="$version" package

case "$mode" in
  quick) opts=(-f 1 -wi 2 -w 1s -i 3 -r 1s) ;;
  full) opts=() ;;
  *) echo "usage: benchmarks/run.sh [quick|full] [regex] [jmh args...]" >&2; exit 2 ;;
esac

mkdir -p benchmarks/results
out="benchmarks/results/${mode}-$(date -u +%Y%m%dT%H%M%SZ).json"
java -jar benchmarks/target/benchmarks.jar "$regex" "${opts[@]}" -rf json -rff "$out" "$@"
echo "results: $out"
