#!/usr/bin/env bash
# Builds distkit-benchmarks/target/benchmarks.jar and runs a set of benchmarks at the documented thread counts,
# writing JMH JSON results into distkit-benchmarks/results/ and printing the distkit ÷ peer table at the end.
#
# Usage: distkit-benchmarks/run.sh [REGEX] [extra JMH options...]
#   REGEX             which benchmarks (JMH include regex; default: all), e.g. StrictCounterBenchmark
#   extra options     passed to JMH, e.g. -p keys=HOT_KEY, -prof gc, -wi 5
# Environment:
#   REDIS_URL         the Redis to measure against (default redis://127.0.0.1:6379)
#   RUNS              how many times to run the whole set (default 1; issue 5 judges targets on 3)
#   THREADS           thread counts for every benchmark (default "1 8")
#   REDIS_THREADS     extra thread counts for Redis-bound benchmarks only (default "64")
#   SKIP_BUILD=1      reuse the jar that is already built
#
# Which benchmark runs at which thread count, and the order of the contestants, is planned by plan.py: each JMH
# invocation is one comparison (one benchmark, thread count and parameter combination, every contestant back to
# back), reversed on even runs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "${here}")"
jar="${here}/target/benchmarks.jar"
results="${here}/results"

pattern="${1:-.}"
if [[ $# -gt 0 ]]; then
	shift
fi
runs="${RUNS:-1}"
threads="${THREADS:-1 8}"
redis_threads="${REDIS_THREADS:-64}"

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
	echo "Building ${jar}"
	(cd "${root}" && mvn -B -q -pl distkit-test-support,distkit-core,distkit-spring-boot-autoconfigure,distkit-benchmarks -am package -DskipTests)
fi

listing="$(java -jar "${jar}" -lp "${pattern}")"
if ! grep -q '^[^ B]' <<<"${listing}"; then
	echo "No benchmark matches '${pattern}'" >&2
	exit 1
fi

# Parameter values (-p) go to plan.py, which writes them into each invocation; the rest goes to JMH as given.
jmh_options=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	if [[ "${args[i]}" == "-p" ]]; then
		i=$((i + 1))
	else
		jmh_options+=("${args[i]}")
	fi
done

mkdir -p "${results}"
stamp="$(date +%Y%m%d-%H%M%S)"
started=${SECONDS}
outputs=()
for ((run = 1; run <= runs; run++)); do
	mapfile -t plan < <(python3 "${here}/plan.py" "${run}" "${threads}" "${redis_threads}" "$@" <<<"${listing}")
	step=0
	for line in "${plan[@]}"; do
		IFS=$'\t' read -r t benchmark options <<<"${line}"
		step=$((step + 1))
		out="${results}/${stamp}-run${run}-$(printf '%02d' "${step}").json"
		echo "== run ${run}/${runs}, ${step}/${#plan[@]}: ${benchmark##*benchmarks.} -t ${t} ${options}"
		# shellcheck disable=SC2086 # options are words by design
		java -jar "${jar}" "^${benchmark//./\\.}\$" -t "${t}" ${options} -rf json -rff "${out}" ${jmh_options[@]+"${jmh_options[@]}"}
		outputs+=("${out}")
	done
done
echo "== ${#outputs[@]} invocations in $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s"

python3 "${here}/report.py" "${outputs[@]}"
