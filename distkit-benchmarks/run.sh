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
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "${here}")"
jar="${here}/target/benchmarks.jar"
results="${here}/results"

# Benchmark classes whose operations wait on Redis: only they also run at REDIS_THREADS.
redis_bound='\.(StrictCounterBenchmark|RedisRateLimitBenchmark|HybridRateLimitBenchmark)\.'

pattern="${1:-.}"
if [[ $# -gt 0 ]]; then
	shift
fi
runs="${RUNS:-1}"
threads="${THREADS:-1 8}"
redis_threads="${REDIS_THREADS:-64}"

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
	echo "Building ${jar}"
	(cd "${root}" && mvn -B -q -pl distkit-test-support,distkit-core,distkit-benchmarks -am package -DskipTests)
fi

mapfile -t selected < <(java -jar "${jar}" -l "${pattern}" | grep -v '^Benchmarks:' | grep -v '^[[:space:]]*$' || true)
if [[ ${#selected[@]} -eq 0 ]]; then
	echo "No benchmark matches '${pattern}'" >&2
	exit 1
fi

mkdir -p "${results}"
stamp="$(date +%Y%m%d-%H%M%S)"
outputs=()
for ((run = 1; run <= runs; run++)); do
	for t in ${threads} ${redis_threads}; do
		includes=()
		for name in "${selected[@]}"; do
			if [[ " ${threads} " == *" ${t} "* ]] || [[ "${name}" =~ ${redis_bound} ]]; then
				includes+=("^${name//./\\.}\$")
			fi
		done
		if [[ ${#includes[@]} -eq 0 ]]; then
			continue
		fi
		out="${results}/${stamp}-run${run}-t${t}.json"
		echo "Run ${run}/${runs}, ${t} thread(s): ${#includes[@]} benchmark(s) -> ${out}"
		java -jar "${jar}" "${includes[@]}" -t "${t}" -rf json -rff "${out}" "$@"
		outputs+=("${out}")
	done
done

python3 "${here}/report.py" "${outputs[@]}"
