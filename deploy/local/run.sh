#!/usr/bin/env bash
# Freshen's main job, locally, end to end: starts the local stack (Docker engine, registry, Kafka), builds and starts
# the five services as separate processes, publishes a fixture "upstream" base image, and lets Freshen do the rest:
# the watcher sees the base, the builder builds the platform image pinned to its digest, the tester proves it with a
# real application, the publisher versions and promotes it, the notifier posts the cards. Then the base is updated
# once more and the second run publishes the next version.
#
#   deploy/local/run.sh          run it (idempotent; re-running starts another base update)
#   deploy/local/run.sh stop     stop the services, the receiver and the stack
#
# Everything lives on 127.0.0.1; state, logs and the received cards go to .freshen/ (FRESHEN_STATE_DIR).
#   service logs          .freshen/logs/<service>.log
#   received cards        .freshen/notifications/*.json
#   platform images       deploy/local/platform-images (FRESHEN_PLATFORM_IMAGES_DIR to use your own, e.g. platform-images/)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
state=${FRESHEN_STATE_DIR:-$repo/.freshen}
export FRESHEN_STATE_DIR=$state
registry=127.0.0.1:${FRESHEN_REGISTRY_PORT:-5000}
kafka=127.0.0.1:${FRESHEN_KAFKA_PORT:-9092}
images_dir=${FRESHEN_PLATFORM_IMAGES_DIR:-$here/platform-images}
receiver_port=${FRESHEN_RECEIVER_PORT:-8090}
image_id=${FRESHEN_RUN_IMAGE:-fixture/runtime}
run_timeout=${FRESHEN_RUN_TIMEOUT:-600}
services=(watcher builder tester publisher notifier)
declare -A ports=([watcher]=8081 [builder]=8082 [tester]=8083 [publisher]=8084 [notifier]=8085)

say() { printf '\033[1m[freshen]\033[0m %s\n' "$*"; }
die() { printf '[freshen] error: %s\n' "$*" >&2; exit 1; }
docker_cli() { if [ -x /usr/bin/docker ]; then echo /usr/bin/docker; else echo docker; fi; }

stop_all() {
  for name in "${services[@]}" receiver; do
    local pidfile=$state/pids/$name.pid
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
  "$here/stack.sh" down
}

if [ "${1:-}" = stop ]; then
  stop_all
  exit 0
fi

mkdir -p "$state/logs" "$state/pids" "$state/notifications"
"$here/stack.sh" up

jar() { echo "$repo/$1-service/target/quarkus-app/quarkus-run.jar"; }
if [ "${FRESHEN_REBUILD:-}" = 1 ] || ! for s in "${services[@]}"; do [ -f "$(jar "$s")" ] || exit 1; done; then
  say "building the services (./mvnw package, tests skipped: ./mvnw verify runs them)"
  (cd "$repo" && ./mvnw -B -q package -DskipTests) || die "the build failed"
fi

[ -f "$state/api-key" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$state/api-key"

start() {
  local name=$1; shift
  local pidfile=$state/pids/$name.pid
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    return
  fi
  "$@" >>"$state/logs/$name.log" 2>&1 &
  echo $! >"$pidfile"
}

start receiver java "$here/WebhookReceiver.java" "$receiver_port" "$state/notifications"

common=(-Xmx256m -Dquarkus.http.host=127.0.0.1 -Dkafka.bootstrap.servers="$kafka" -Dfreshen.platform-images-dir="$images_dir")
declare -A extra=(
  [watcher]="-Dfreshen.target-registry=$registry -Dfreshen.watcher.api-key-file=$state/api-key"
  [builder]="-Dfreshen.target-registry=$registry -Dfreshen.builder.docker-cli=$(docker_cli)"
  [tester]="-Dfreshen.tester.docker-cli=$(docker_cli)"
  [publisher]="-Dfreshen.target-registry=$registry"
  [notifier]="-Dfreshen.notifier.channels.local-teams.type=teams -Dfreshen.notifier.channels.local-teams.url=http://127.0.0.1:$receiver_port/teams -Dfreshen.notifier.channels.local-webhook.type=webhook -Dfreshen.notifier.channels.local-webhook.url=http://127.0.0.1:$receiver_port/webhook -Dfreshen.notifier.default-channels=local-teams"
)
for s in "${services[@]}"; do
  # shellcheck disable=SC2086
  start "$s" java "${common[@]}" -Dquarkus.http.port="${ports[$s]}" ${extra[$s]} -jar "$(jar "$s")"
done
for s in "${services[@]}"; do
  deadline=$((SECONDS + 90))
  until curl -fsS "http://127.0.0.1:${ports[$s]}/q/health/ready" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { tail -n 30 "$state/logs/$s.log" >&2; die "$s did not become ready (log: $state/logs/$s.log)"; }
    kill -0 "$(cat "$state/pids/$s.pid")" 2>/dev/null || { tail -n 30 "$state/logs/$s.log" >&2; die "$s exited (log: $state/logs/$s.log)"; }
    sleep 1
  done
  say "$s ready on http://127.0.0.1:${ports[$s]} (log: $state/logs/$s.log)"
done

# Follows one run through the logs of the stages until it is published or fails.
follow_run() {
  local run=$1 deadline=$((SECONDS + run_timeout)) seen=""
  while ((SECONDS < deadline)); do
    for step in "builder:candidate" "tester:verified" "publisher:published" "notifier:announced"; do
      local svc=${step%%:*} word=${step#*:}
      if [[ $seen != *"$svc"* ]] && grep -q "Run $run .*$word" "$state/logs/$svc.log" 2>/dev/null; then
        say "  $(grep -m1 "Run $run .*$word" "$state/logs/$svc.log" | sed 's/.*\] ([^)]*) //')"
        seen="$seen $svc"
      fi
    done
    if grep -q "Run $run .*failed" "$state/logs"/*.log 2>/dev/null; then
      grep -h "Run $run .*failed" "$state/logs"/*.log | head -3 >&2
      die "run $run failed (see the cards in $state/notifications)"
    fi
    [[ $seen == *notifier* ]] && return 0
    sleep 1
  done
  die "run $run did not finish within ${run_timeout}s"
}

# Starts a run by publishing a new fixture base and asking the watcher to check now; prints the run id.
update_base() {
  "$here/fixture-base.sh" --registry "$registry" --repository dotnet/runtime --tag 10.0 >/dev/null
  curl -fsS -X POST -H "Authorization: Bearer $(cat "$state/api-key")" \
    "http://127.0.0.1:8081/api/v1/images/$image_id/check" | sed -n 's/.*"runId":"\([^"]*\)".*/\1/p'
}

for round in 1 2; do
  say "round $round: the vendor publishes a new $registry/dotnet/runtime:10.0"
  run=$(update_base)
  [ -n "$run" ] || die "the watcher started no run (GET http://127.0.0.1:8081/api/v1/images/$image_id says why)"
  say "  watcher: base changed, run $run"
  follow_run "$run"
done

repository=$(sed -n 's/^ *repository: *//p' "$images_dir/$image_id/platform-image.yaml" | head -1)
version=$(grep -h "Run $run .*published as" "$state/logs/publisher.log" | tail -1 | sed 's/.*published as //' | tr -d '[:space:]')
digest=$(curl -fsSI -H "Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json" \
  "http://$registry/v2/$repository/manifests/$version" | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: *//p')
say "tags in $registry/$repository: $(curl -fsS "http://$registry/v2/$repository/tags/list" | sed 's/.*"tags":\[\(.*\)\].*/\1/')"
say "cards received (Teams Adaptive Cards as posted): $state/notifications/"
say "published: $registry/$repository:$version@$digest"
say "stop everything with: deploy/local/run.sh stop"
