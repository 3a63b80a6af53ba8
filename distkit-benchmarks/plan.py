#!/usr/bin/env python3
"""Plans the JMH invocations of one run of distkit-benchmarks/run.sh, one line each.

Usage: plan.py RUN THREADS REDIS_THREADS [JMH options] < (java -jar benchmarks.jar -lp REGEX)
       (a `-p name=v1,v2` among the JMH options replaces that parameter's values)

Every benchmark runs once per thread count of THREADS; the Redis-bound ones also at REDIS_THREADS; the
single-threaded ones (average time of one call) only at 1 thread. Each invocation is one benchmark, one thread
count and one combination of the parameters other than `contestant`, with every contestant listed: JMH then runs
the contestants of one comparison back to back, so that they share the machine's state of the moment. On even runs
the contestants run in reverse order, so that over several runs no contestant always goes first.

Printed lines: THREADS<TAB>BENCHMARK<TAB>JMH options (-p name=value ...).
"""

import itertools
import sys

# Benchmarks whose operation waits on Redis: they also run at REDIS_THREADS.
REDIS_BOUND = ("StrictCounterBenchmark", "RedisRateLimitBenchmark")
# Benchmarks that measure the average time of one call on one thread.
SINGLE_THREADED = ("RateLimitedOverheadBenchmark",)
# Parameter values of the documented set where it is narrower than the declared values: the local decisions, the
# strict counter and the hybrid provider are compared on a hot key (issue 5 asks for 10,000 keys for the lax counter
# and the Redis rate-limit rows only), which keeps one run of the whole set within 15 minutes on a slow day. Pass
# -p keys=HOT_KEY,KEYS_10000 to run.sh to measure both.
DOCUMENTED = {
    "LocalRateLimitBenchmark": {"keys": ["HOT_KEY"]},
    "StrictCounterBenchmark": {"keys": ["HOT_KEY"]},
    "HybridRateLimitBenchmark": {"keys": ["HOT_KEY"]},
}


def parse(lines):
    """Returns [(benchmark, {param: [values]})] from the output of `-lp`."""
    benchmarks = []
    for line in lines:
        line = line.rstrip()
        if not line or line.startswith("Benchmarks:"):
            continue
        if line.startswith("  param "):
            name, values = line[len("  param "):].split(" = ", 1)
            benchmarks[-1][1][name.strip('"')] = [v.strip() for v in values.strip("{}").split(",")]
        else:
            benchmarks.append((line.strip(), {}))
    return benchmarks


def thread_counts(benchmark, threads, redis_threads):
    simple = benchmark.split(".")[-2]
    if simple in SINGLE_THREADED:
        return [1]
    return threads + (redis_threads if simple in REDIS_BOUND else [])


def main():
    run, threads, redis_threads = int(sys.argv[1]), sys.argv[2].split(), sys.argv[3].split()
    threads = [int(t) for t in threads]
    redis_threads = [int(t) for t in redis_threads]
    overrides = {}
    extra = sys.argv[4:]
    for i, option in enumerate(extra):
        if option == "-p" and i + 1 < len(extra) and "=" in extra[i + 1]:
            name, values = extra[i + 1].split("=", 1)
            overrides[name] = values.split(",")
    benchmarks = parse(sys.stdin)
    for t in sorted(set(threads + redis_threads)):
        for benchmark, params in benchmarks:
            if t not in thread_counts(benchmark, threads, redis_threads):
                continue
            simple = benchmark.split(".")[-2]
            params = dict(params)
            params.update(DOCUMENTED.get(simple, {}))
            params.update({n: v for n, v in overrides.items() if n in params})
            contestants = params.pop("contestant", None)
            names = sorted(params)
            for values in itertools.product(*(params[n] for n in names)):
                options = ["-p %s=%s" % (n, v) for n, v in zip(names, values)]
                if contestants:
                    ordered = contestants if run % 2 == 1 else list(reversed(contestants))
                    options.append("-p contestant=" + ",".join(ordered))
                print("%d\t%s\t%s" % (t, benchmark, " ".join(options)))


if __name__ == "__main__":
    main()
