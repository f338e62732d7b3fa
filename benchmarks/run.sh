#!/usr/bin/env bash
# Builds the library of this checkout, then the JMH benchmarks against it, runs them, and writes
# a report. Only the "reference" mode changes files under version control.
#
#   benchmarks/run.sh quick [REGEX [JMH args...]]
#                                      the whole suite with short iterations (about 10 min on
#                                      2 cores), or only the benchmarks matching REGEX (e.g.
#                                      'BrokerLatency'; then any JMH options, e.g. '-p
#                                      transport=hivemesh')
#   benchmarks/run.sh full [REGEX [JMH args...]]
#                                      the same with each benchmark's own annotation settings
#   benchmarks/run.sh reference        the whole suite in quick mode; if every group succeeds the
#                                      run replaces benchmarks/results/reference/ (the committed
#                                      run the docs quote) and the report regenerates
#                                      docs/benchmarks/ and the marked regions of
#                                      docs/benchmarks.md and README.md
#   benchmarks/run.sh report           the report alone, from benchmarks/results/reference/ into
#                                      docs/benchmarks/ and those marked regions (no run; what
#                                      the docs quote stays the committed reference)
#   benchmarks/run.sh report DIR [OUT] the report of run directory DIR into OUT (default
#                                      DIR/report); the docs are untouched
#   benchmarks/run.sh -n MODE ...      dry run: check the arguments, say what would happen,
#                                      build and run nothing
#
# quick and full write benchmarks/results/<mode>-<UTC time>/ (git ignores it): one JMH JSON file
# per group below, the side JSON files benchmarks write (completion intervals, reference
# workloads), machine.txt, run.json, and the run's report in report/. They never touch
# benchmarks/results/reference/ or the docs. The build step installs the library of this
# checkout into the local Maven repository (mvn install, tests skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat >&2 <<'EOF_USAGE'
usage: benchmarks/run.sh [-n] quick|full [REGEX [JMH args...]]
       benchmarks/run.sh [-n] reference
       benchmarks/run.sh [-n] report [DIR [OUT]]
  quick, full  run the suite (or what REGEX matches) into a new benchmarks/results/<mode>-<time>/
  reference    whole suite, quick mode; replaces benchmarks/results/reference/ and regenerates
               the docs (docs/benchmarks/, docs/benchmarks.md, README.md)
  report       docs from benchmarks/results/reference/; or DIR's report into OUT (DIR/report)
  -n           dry run: say what would happen, do nothing
EOF_USAGE
  exit 2
}

dry_run=false
if [[ "${1:-}" == "-n" || "${1:-}" == "--dry-run" ]]; then
  dry_run=true
  shift
fi
(( $# > 0 )) || usage
mode=$1
shift
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
  reference)
    (( $# == 0 )) || { echo "reference runs the whole suite: no REGEX or JMH options" >&2; usage; }
    ;;
  report)
    (( $# <= 2 )) || usage
    if (( $# == 0 )); then
      args=("$reference" docs/benchmarks docs/benchmarks.md README.md)
    else
      [[ -d "$1" ]] || { echo "report: $1 is not a run directory" >&2; exit 2; }
      if (( $# == 1 )) && [[ "$(realpath "$1")" == "$(realpath "$reference")" ]]; then
        echo "report: the reference's report is the docs ('report' alone), or name an OUT" >&2
        exit 2
      fi
      args=("$1" "${2:-$1/report}")
    fi
    if $dry_run; then
      echo "dry run: report ${args[*]}"
      exit 0
    fi
    [[ -f "$jar" ]] || build
    report "${args[@]}"
    exit 0 ;;
  *) echo "unknown mode '$mode'" >&2
     usage ;;
esac

regex=${1:-}
shift || true
replace_reference=false
jmh_mode=$mode
if [[ "$mode" == reference ]]; then
  replace_reference=true
  jmh_mode=quick
fi
if $dry_run; then
  echo "dry run: build, then run ${regex:+only '$regex' of }the suite in $jmh_mode mode${*:+ with JMH options: $*}"
  echo "dry run: results into benchmarks/results/${jmh_mode}-<UTC time>/"
  if $replace_reference; then
    echo "dry run: on success, replace $reference and regenerate docs/benchmarks/, docs/benchmarks.md and README.md"
  else
    echo "dry run: report into benchmarks/results/${jmh_mode}-<UTC time>/report; $reference and the docs untouched"
  fi
  exit 0
fi

# Groups, in run order: name | benchmarks (regex on Class.method) | quick-mode JMH options |
# profilers. Quick options are tuned so the whole suite takes about 10 minutes on 2 cores
# (measured: docs/benchmarks.md); 5-8 measured iterations because JMH's 99.9 % error with 3 is
# wider than the score on a loaded machine. Full mode uses each benchmark's annotations.
# A benchmark no group names runs in "other". -prof gc where allocation per message or per
# task matters; not where a per-invocation setup would be counted with the operation.
# "cluster" (two JGroups members per trial, 20 trials) warms up for 12 s: on 2 cores the
# cluster broker's codecs are still being compiled before that; it adds about 9 minutes.
groups=(
  "broker-throughput|BrokerThroughputBenchmark|-wi 1 -w 1s -i 8 -r 1s|-prof gc"
  "broker-latency|BrokerLatencyBenchmark|-wi 1 -w 1s -i 5 -r 1s|-prof gc"
  "task-throughput|TaskThroughputBenchmark|-wi 1 -w 2s -i 5 -r 2s|-prof gc"
  "completion|CompletionBenchmark|-wi 1 -w 2s -i 5 -r 2s|-prof gc"
  "spawn|SpawnBenchmark|-wi 1 -w 2s -i 5 -r 2s|"
  "resume|ResumeBenchmark|-wi 1 -w 1s -i 5 -r 1s|"
  "artifact|ArtifactShareBenchmark|-wi 1 -w 2s -i 5 -r 1s|-prof gc"
  "reference-workloads|ReferenceWorkloadBenchmark|-wi 0 -i 1|"
  "cluster|^Cluster|-wi 6 -w 2s -i 5 -r 2s|"
  "other|.|-wi 1 -w 1s -i 5 -r 1s|"
)

started=$(date -u +%s)
# what was built: the commit, and whether the library or benchmark sources differed from it
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain -- src benchmarks/src benchmarks/pom.xml 2>/dev/null | head -c1)
build

run_dir="benchmarks/results/${jmh_mode}-$(date -u +%Y%m%dT%H%M%SZ)"
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
  if [[ "$jmh_mode" == quick ]]; then
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
{"mode": "$jmh_mode", "filter": "${regex//\"/\\\"}", "startedEpochSeconds": $started,
 "finishedEpochSeconds": $finished, "wallSeconds": $((finished - started)),
 "commit": "$commit", "uncommittedChanges": $([[ -n "$dirty" ]] && echo true || echo false),
 "failedGroups": [$failed_json]}
EOF
echo "results: $run_dir ($(( (finished - started) / 60 )) min $(( (finished - started) % 60 )) s)"

if $replace_reference && (( ${#failed[@]} == 0 )); then
  rm -rf "$reference"
  cp -r "$run_dir" "$reference"
  report "$reference" docs/benchmarks docs/benchmarks.md README.md
else
  report "$run_dir" "$run_dir/report"
  if $replace_reference; then
    echo "$reference and the docs are unchanged: a reference run needs every group to succeed" >&2
  fi
fi
if (( ${#failed[@]} > 0 )); then
  echo "failed groups: ${failed[*]}" >&2
  exit 1
fi
