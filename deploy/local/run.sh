#!/usr/bin/env bash
# Freshen's main job, locally, end to end: starts the local stack (Docker engine, registry, Kafka), builds and starts
# the five services as separate processes, publishes a fixture "upstream" base image, and lets Freshen do the rest:
# the watcher sees the base, the builder builds the platform image pinned to its digest, the tester proves it with a
# real application, the publisher versions and promotes it, the notifier posts the cards. Then the base is updated
# once more and the second run publishes the next version. Each round ends with the published reference.
#
# Usage:
#   deploy/local/run.sh            run it (re-running updates the base again and publishes the next versions)
#   deploy/local/run.sh stop       stop the services and the receiver, then the stack (Kafka, registry, dockerd)
#   deploy/local/run.sh status     what is running
#   deploy/local/run.sh --help     this text
#
# Which platform images: the local run watches deploy/local/platform-images (one fixture image, fixture/runtime,
# FROM a busybox stand-in for mcr.microsoft.com/dotnet/runtime:10.0 that this script publishes). The company's
# images are in platform-images/ (real MCR bases, which cannot be pulled without internet).
#
# Platforms: fixture/runtime is built, tested and published for linux/amd64 and linux/arm64 (one OCI image index),
# arm64 under QEMU emulation (deploy/local/stack.sh up sets it up; docs/multi-platform.md). On a host that cannot
# emulate, the services watch a copy of the folder in .freshen/platform-images that builds linux/amd64 only.
#
# Settings (environment):
#   FRESHEN_PLATFORM_IMAGES_DIR  the folder the services watch            default deploy/local/platform-images
#   FRESHEN_RUN_IMAGE            the image id the rounds check            default fixture/runtime
#   FRESHEN_RUN_TIMEOUT          seconds one run may take                 default 600
#   FRESHEN_REBUILD=1            build the services again (./mvnw package) even if their jars exist
#   FRESHEN_STATE_DIR            state, logs, cards                       default .freshen/
#   FRESHEN_REGISTRY_PORT, FRESHEN_KAFKA_PORT, FRESHEN_RECEIVER_PORT     default 5000, 9092, 8090
#
# Everything lives on 127.0.0.1; state, logs and the received cards go to .freshen/:
#   service logs          .freshen/logs/<service>.log
#   received cards        .freshen/notifications/*.json
#   watcher API key       .freshen/api-key (readable by its owner only)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
script_name=freshen
# shellcheck source=SCRIPTDIR/../lib/script.sh
source "$repo/deploy/lib/script.sh"

usage() { sed -n '/^# Usage:/,/^#   received cards/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

state=${FRESHEN_STATE_DIR:-$repo/.freshen}
export FRESHEN_STATE_DIR=$state
registry=127.0.0.1:${FRESHEN_REGISTRY_PORT:-5000}
kafka=127.0.0.1:${FRESHEN_KAFKA_PORT:-9092}
images_dir=$(cd "${FRESHEN_PLATFORM_IMAGES_DIR:-$here/platform-images}" 2>/dev/null && pwd) \
  || die "FRESHEN_PLATFORM_IMAGES_DIR=${FRESHEN_PLATFORM_IMAGES_DIR:-} is not a folder"
receiver_port=${FRESHEN_RECEIVER_PORT:-8090}
image_id=${FRESHEN_RUN_IMAGE:-fixture/runtime}
run_timeout=${FRESHEN_RUN_TIMEOUT:-600}
services=(watcher builder tester publisher notifier)
declare -A ports=([watcher]=8081 [builder]=8082 [tester]=8083 [publisher]=8084 [notifier]=8085)
docker_cli() { if [ -x /usr/bin/docker ]; then echo /usr/bin/docker; else echo docker; fi; }

pid_of() { cat "$state/pids/$1.pid" 2>/dev/null; }
running() { local pid; pid=$(pid_of "$1") && kill -0 "$pid" 2>/dev/null; }

# Stops the services and the receiver, waiting for each to exit (the services leave their work to Kafka on a clean
# shutdown, so they must be gone before Kafka is), then the stack.
stop_services() {
  local name pid stopped=()
  for name in "${services[@]}" receiver; do
    if running "$name"; then
      kill "$(pid_of "$name")" 2>/dev/null || true
      stopped+=("$name")
    fi
  done
  for name in "${stopped[@]}"; do
    pid=$(pid_of "$name")
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      warn "$name (pid $pid) did not stop within 30 s: killed"
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$state/pids/$name.pid"
  done
  if ((${#stopped[@]})); then say "stopped ${stopped[*]}"; else say "no service was running"; fi
  rm -f "$state/platform-images-dir"
}

case ${1:-} in
  "") ;;
  stop) stop_services; "$here/stack.sh" down; exit 0 ;;
  status)
    for s in "${services[@]}" receiver; do
      if running "$s"; then echo "$s running (pid $(pid_of "$s"))"; else echo "$s stopped"; fi
    done
    "$here/stack.sh" status
    exit 0 ;;
  -h | --help | help) usage; exit 0 ;;
  *) usage >&2; echo >&2; die "unknown argument '$1'" ;;
esac

# The rounds check one image of the folder: refuse a folder without it before anything starts.
if [ ! -f "$images_dir/$image_id/platform-image.yaml" ]; then
  known=$(cd "$images_dir" && find . -name platform-image.yaml -printf '%h\n' | sed 's|^\./||' | sort | head -5 | paste -sd, -)
  die "$images_dir has no platform image $image_id; set FRESHEN_RUN_IMAGE to one of its ids (${known:-it has none})"
fi

mkdir -p "$state/logs" "$state/pids" "$state/notifications"
step "starting the local stack (Docker engine, registry, Kafka)"
"$here/stack.sh" up

# A host that cannot emulate linux/arm64 (stack.sh says why in $state/emulation) builds the default fixture for
# linux/amd64 only: the services watch a copy of the folder whose descriptors name that platform alone.
emulation=$(cat "$state/emulation" 2>/dev/null || echo "unavailable: deploy/local/stack.sh did not check it")
if [[ $emulation == unavailable:* ]] && [ "$images_dir" = "$here/platform-images" ]; then
  say "this host cannot emulate linux/arm64 (${emulation#unavailable: }): building $image_id for linux/amd64 only"
  rm -rf "$state/platform-images"
  cp -a "$images_dir" "$state/platform-images"
  find "$state/platform-images" -name platform-image.yaml \
    -exec sed -i 's|^platforms: .*|platforms: [linux/amd64]|' {} +
  images_dir=$state/platform-images
fi

# The services watch one platform-images folder. Running services that watch another one are restarted, so what
# this run prints is about the folder asked for.
if [ -f "$state/platform-images-dir" ] && [ "$(cat "$state/platform-images-dir")" != "$images_dir" ] && running watcher; then
  say "the services watch $(cat "$state/platform-images-dir"); restarting them to watch $images_dir"
  stop_services
fi
say "watching $images_dir (image $image_id); the company's own images are in $repo/platform-images"

jar() { echo "$repo/$1-service/target/quarkus-app/quarkus-run.jar"; }
missing_jars() { local s; for s in "${services[@]}"; do [ -f "$(jar "$s")" ] || return 0; done; [ ! -f "$repo/freshen-cli/target/freshen" ]; }
if [ "${FRESHEN_REBUILD:-}" = 1 ] || missing_jars; then
  say "building the services (./mvnw package, tests skipped: the test command runs them; log: $state/logs/build.log)"
  step "building the services" "$state/logs/build.log"
  (cd "$repo" && ./mvnw -B package -DskipTests) >"$state/logs/build.log" 2>&1
fi

# The watcher's API key: made once, readable by its owner only.
if [ ! -f "$state/api-key" ]; then
  (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$state/api-key")
fi
chmod 600 "$state/api-key"

start() {
  local name=$1; shift
  running "$name" && return
  "$@" >>"$state/logs/$name.log" 2>&1 &
  echo $! >"$state/pids/$name.pid"
}

step "starting the webhook receiver" "$state/logs/receiver.log"
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
  step "starting the $s" "$state/logs/$s.log"
  # shellcheck disable=SC2086
  start "$s" java "${common[@]}" -Dquarkus.http.port="${ports[$s]}" ${extra[$s]} -jar "$(jar "$s")"
done
echo "$images_dir" >"$state/platform-images-dir"
for s in "${services[@]}"; do
  deadline=$((SECONDS + 90))
  until curl -fsS "http://127.0.0.1:${ports[$s]}/q/health/ready" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { tail -n 30 "$state/logs/$s.log" >&2; die "$s did not become ready within 90 s (log: $state/logs/$s.log)"; }
    running "$s" || { tail -n 30 "$state/logs/$s.log" >&2; die "$s exited (log: $state/logs/$s.log)"; }
    sleep 1
  done
  say "$s ready on http://127.0.0.1:${ports[$s]} (log: $state/logs/$s.log)"
done

freshen=$repo/freshen-cli/target/freshen
api=(--api http://127.0.0.1:8081 --api-key-file "$state/api-key")

# One round: publishes a new fixture base (the vendor's update), then asks the watcher to check now and follows the
# run it starts with the operator CLI (`freshen check --wait`: each stage as it completes, then the published
# reference). Prints the CLI's lines; fails when no run starts or the run fails.
round() {
  "$here/fixture-base.sh" --registry "$registry" --repository dotnet/runtime --tag 10.0 \
    --platforms linux/amd64,linux/arm64 >/dev/null
  "$freshen" check "$image_id" --wait --timeout "${run_timeout}s" "${api[@]}" | tee "$state/logs/round.log" | sed 's/^/  /'
  grep -q '^published ' "$state/logs/round.log" || die "the check of $image_id started no run (output above; $state/logs/watcher.log says more)"
}

# The card of a run, once the notifier has posted it (the notifier logs each delivery).
await_card() {
  local run=$1 deadline=$((SECONDS + 60))
  until grep -q "Run $run .*announced" "$state/logs/notifier.log" 2>/dev/null; do
    ((SECONDS < deadline)) || die "run $run was published but no card was posted within 60 s (log: $state/logs/notifier.log)"
    sleep 1
  done
  say "  $(grep -m1 "Run $run .*announced" "$state/logs/notifier.log" | sed 's/.*\] ([^)]*) //')"
}

for number in 1 2; do
  say "round $number: the vendor publishes a new $registry/dotnet/runtime:10.0"
  step "round $number: the vendor update and the run it starts" "$state/logs/round.log"
  round
  # the run this check started, or the one a scheduled check started a moment before ("run <id> for this change is")
  run=$(sed -n 's/.*: started run \([^ ]*\) .*/\1/p; s/.*; run \([^ ]*\) for this change is .*/\1/p' \
    "$state/logs/round.log" | head -1)
  [ -n "$run" ] || die "the check of $image_id named no run (output above)"
  reference=$(sed -n 's/^published \([^ ]*\) after .*/\1/p' "$state/logs/round.log")
  await_card "$run"
done

say "cards received (Teams Adaptive Cards as posted): $state/notifications/"
say "stop everything with: deploy/local/run.sh stop"
say "published: $reference"
