#!/usr/bin/env bash
# Freshen's benchmarks (issue #12): what Freshen costs per check and per run on the local stack, beside the seed's way.
#
#   benchmarks/run.sh [--quick] [--only detection,multi-platform,pipeline,burst,chain,platform-runs] [--out DIR]
#
#   --quick   fewer repetitions, detection for 1 and 50 images, bursts of 20 only (about 3-4 minutes)
#   --only    run some sections (pipeline = orchestration, readiness, promotion; footprint comes with any stack;
#             chain runs only when named: --only chain, about 8 minutes on its own stack; so does platform-runs, a
#             two-platform run beside a one-platform one, n=3, about 2 minutes, needing arm64 emulation:
#             deploy/local/stack.sh up emulation)
#   --out     where the results go (default benchmarks/results)
#
# Prints the table on stdout (progress on stderr) and writes benchmarks/results/latest.{csv,json,txt} plus a
# timestamped copy of each. Needs the Docker engine (started here if missing) and the docker-registry and
# busybox-static packages (deploy/local/stack.sh installs them); starts its own Kafka broker and registries on free
# ports of 127.0.0.1, and the five services as processes, and stops them all at the end.
#
# Environment: FRESHEN_REBUILD=1 packages the services again even when their jars exist.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
script_name=bench
# shellcheck source=SCRIPTDIR/../deploy/lib/script.sh
source "$repo/deploy/lib/script.sh"
say() { _line "$*" >&2; }

# dockerd, docker-registry, busybox-static: installed if missing; a running engine is left alone.
deploy/local/stack.sh up docker

services=(watcher builder tester publisher notifier)
missing=0
for s in "${services[@]}"; do
  [ -f "$s-service/target/quarkus-app/quarkus-run.jar" ] || missing=1
done
if [ "${FRESHEN_REBUILD:-}" = 1 ] || [ $missing = 1 ]; then
  say "packaging the services (./mvnw package, tests skipped)"
  step "packaging the services"
  ./mvnw -B -q package -DskipTests
fi

# The benchmark module and what it needs from the reactor (without running the services' Quarkus build again, which
# the step above did): its classes and its runtime classpath (benchmarks/target/classpath.txt).
say "building the benchmarks module"
step "building the benchmarks module"
./mvnw -B -q -Pbenchmarks -pl benchmarks -am package -Dmaven.test.skip=true -Dquarkus.build.skip=true

classpath="$here/target/classes:$(cat "$here/target/classpath.txt")"
exec java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "$classpath" dev.freshen.bench.Benchmarks "$@"
