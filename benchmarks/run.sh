#!/usr/bin/env bash
# Builds the library of this checkout, then the JMH benchmarks against it, runs them, and turns
# the results into docs/benchmarks/.
#
#   benchmarks/run.sh quick            the whole suite, short iterations (about 10 min, 2 cores)
#   benchmarks/run.sh full             the whole suite with the annotations' settings
#   benchmarks/run.sh quick|full REGEX [JMH args...]
#                                      only benchmarks matching REGEX (e.g. 'BrokerLatency',
#                                      '-p transport=hivemesh'); the report stays in the run dir
#   benchmarks/run.sh report [DIR]    the report alone, from DIR (default
#                                      benchmarks/results/reference) into docs/benchmarks/ and the
#                                      marked regions of docs/benchmarks.md and README.md
#   benchmarks/run.sh report DIR OUT   the report alone into OUT (docs untouched)
#
# A run writes benchmarks/results/<mode>-<UTC time>/: one JMH JSON file per group below, the
# side JSON files benchmarks write (completion intervals, reference workloads), machine.txt and
# run.json. A whole-suite run that succeeds then becomes benchmarks/results/reference/ (the
# committed run the docs quote) and the report regenerates docs/benchmarks/ from it.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-quick}
shift || true
jar=benchmarks/target/benchmarks.jar
reference=benchmarks/results/reference

build() {
  mvn -q -B -DskipTests -Djacoco.skip=true install
  # Maven 3.8 wraps even -q output in colour codes: strip them
  local version
  version=$(mvn -q -B help:evaluate -Dexpression=project.version -DforceStdout \
    | sed 's/\x1b\[[0-9;]*m//g')
  mvn -q -B -f benchmarks/pom.xml -Dhivemesh.version="$version" package
}

report() {
  java -Djava.awt.headless=true -cp "$jar" io.github.hivemesh.benchmarks.report.Report "$@"
}

case "$mode" in
  quick|full) ;;
  report)
    [[ -f "$jar" ]] || build
    if [[ -n "${2:-}" ]]; then
      report "$1" "$2"
    else
      report "${1:-$reference}" docs/benchmarks docs/benchmarks.md README.md
    fi
    exit 0 ;;
  *) echo "usage: benchmarks/run.sh quick|full [REGEX [JMH args...]] | report [DIR [OUT]]" >&2
     exit 2 ;;
esac

regex=${1:-}
shift || true

# Groups, in run order: name | benchmarks (regex on Class.method) | quick-mode JMH options |
# profilers. Quick options are tuned so the whole suite takes about 10 minutes on 2 cores
# (measured: docs/benchmarks.md); 5-8 measured iterations because JMH's 99.9 % error with 3 is
# wider than the score on a loaded machine. Full mode uses each benchmark's annotations.
# A benchmark no group names runs in "other". -prof gc where allocation per message or per
# task matters; not where a per-invocation setup would be counted with the operation.
groups=(
  "broker-throughput|BrokerThroughputBenchmark|-wi 1 -w 1s -i 8 -r 1s|-prof gc"
  "broker-latency|BrokerLatencyBenchmark|-wi 1 -w 1s -i 5 -r 1s|-prof gc"
  "task-throughput|TaskThroughputBenchmark|-wi 1 -w 2s -i 5 -r 2s|-prof gc"
  "completion|CompletionBenchmark|-wi 1 -w 2s -i 5 -r 2s|-prof gc"
  "spawn|SpawnBenchmark|-wi 1 -w 2s -i 5 -r 2s|"
  "resume|ResumeBenchmark|-wi 1 -w 1s -i 5 -r 1s|"
  "artifact|ArtifactShareBenchmark|-wi 1 -w 2s -i 5 -r 1s|-prof gc"
  "reference-workloads|ReferenceWorkloadBenchmark|-wi 0 -i 1|"
  "other|.|-wi 1 -w 1s -i 5 -r 1s|"
)

started=$(date -u +%s)
# what was built: the commit, and whether the library or benchmark sources differed from it
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain -- src benchmarks/src benchmarks/pom.xml 2>/dev/null | head -c1)
build

run_dir="benchmarks/results/${mode}-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run_dir"
{
  echo "# lscpu"; lscpu
  echo; echo "# java -version"; java -version 2>&1
  echo; echo "# uname -a"; uname -a
  echo; echo "# load average at start"; cut -d" " -f1-3 /proc/loadavg
} > "$run_dir/machine.txt"

# Every benchmark, as Class.method, assigned to the first group whose regex matches it.
mapfile -t all < <(java -jar "$jar" -l | sed -n 's/^io\.github\.hivemesh\.benchmarks\.//p')
declare -A assigned=()
failed=()
for entry in "${groups[@]}"; do
  IFS='|' read -r name pattern quick profilers <<< "$entry"
  selected=()
  for bench in "${all[@]}"; do
    if [[ -z "${assigned[$bench]:-}" ]] && grep -qE -- "$pattern" <<< "$bench"; then
      assigned[$bench]=$name
      if [[ -z "$regex" ]] || grep -qE -- "$regex" <<< "$bench"; then
        selected+=("^io\\.github\\.hivemesh\\.benchmarks\\.${bench//./\\.}\$")
      fi
    fi
  done
  if (( ${#selected[@]} == 0 )); then
    continue
  fi
  opts=()
  if [[ "$mode" == quick ]]; then
    read -r -a opts <<< "$quick"
    opts=(-f 1 "${opts[@]}")
  fi
  read -r -a prof <<< "$profilers"
  echo "=== $name: ${#selected[@]} benchmark(s)"
  if ! java -jar "$jar" "${selected[@]}" "${opts[@]}" "${prof[@]}" -foe true \
      -jvmArgsAppend "-Dhivemesh.results=$run_dir" \
      -rf json -rff "$run_dir/$name.json" "$@"; then
    failed+=("$name")
  fi
done

finished=$(date -u +%s)
echo "# load average at end" >> "$run_dir/machine.txt"
cut -d" " -f1-3 /proc/loadavg >> "$run_dir/machine.txt"
failed_json=""
for name in "${failed[@]+"${failed[@]}"}"; do
  failed_json+="${failed_json:+, }\"$name\""
done
cat > "$run_dir/run.json" <<EOF
{"mode": "$mode", "filter": "${regex//\"/\\\"}", "startedEpochSeconds": $started,
 "finishedEpochSeconds": $finished, "wallSeconds": $((finished - started)),
 "commit": "$commit", "uncommittedChanges": $([[ -n "$dirty" ]] && echo true || echo false),
 "failedGroups": [$failed_json]}
EOF
echo "results: $run_dir ($(( (finished - started) / 60 )) min $(( (finished - started) % 60 )) s)"

if [[ -z "$regex" && ${#failed[@]} -eq 0 ]]; then
  rm -rf "$reference"
  cp -r "$run_dir" "$reference"
  report "$reference" docs/benchmarks docs/benchmarks.md README.md
else
  report "$run_dir" "$run_dir/report"
fi
if (( ${#failed[@]} > 0 )); then
  echo "failed groups: ${failed[*]}" >&2
  exit 1
fi
