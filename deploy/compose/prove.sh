#!/usr/bin/env bash
# Proves docker-compose.yml end to end on this machine, with nothing pulled from any registry:
#   1. builds every image locally (build-images.sh: Debian-based Java base, Kafka from Maven Central, Debian's
#      registry and docker CLI, the five services; cached between runs),
#   2. starts the stack as project "freshen-proof" with the local profile and override (registry, webhook receiver,
#      every service on 127.0.0.1) and waits until every service is healthy,
#   3. publishes the fixture vendor base (deploy/local/fixture-base.sh) into the compose registry,
#   4. forces an update of fixture/runtime (deploy/local/platform-images) and of fixture/buildkit, whose Dockerfile and
#      test application need BuildKit (deploy/compose/proof/platform-images, for the proof only), through the
#      watcher's REST API,
#   5. waits until the compose registry lists the version tags 10.0-1.0.0 and 10.0-buildkit-1.0.0, checks that each is
#      its forced run's image (the dev.freshen.run-id label), that fixture/buildkit went through BuildKit (the builder's
#      log says so, and the image's history is BuildKit's), and that the notifier's Teams card reached the receiver,
#   6. always tears everything down (docker-compose down -v) and prints the timings.
# On failure it says which command failed where, prints the state and the recent logs of every container, keeps its
# own logs in .freshen/compose-proof-failed/ and exits non-zero.
#
#   deploy/compose/prove.sh
#
# Settings (environment):
#   FRESHEN_PROOF_PORT_OFFSET  added to every usual port (registry 5000, Kafka 9092, services 8081-8085,
#                              receiver 8090), all on 127.0.0.1, so that the proof runs beside deploy/local  default 10000
#   FRESHEN_PROOF_START_TIMEOUT  seconds until every service is healthy                                   default 300
#   FRESHEN_PROOF_TIMEOUT      seconds the forced runs may take until published                           default 300
# Needs root on the first run of a machine (the Java base is made with debootstrap), a Docker engine
# (deploy/local/stack.sh up docker starts one), and apt for docker-compose, debootstrap, docker-registry, busybox-static.
set -Eeuo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
state=${FRESHEN_STATE_DIR:-$repo/.freshen}/compose-proof
# Where the proof's own logs (up, build-images) are kept when it fails; $state itself is always removed (it holds the
# API key).
failed_logs=${FRESHEN_STATE_DIR:-$repo/.freshen}/compose-proof-failed
offset=${FRESHEN_PROOF_PORT_OFFSET:-10000}
run_timeout=${FRESHEN_PROOF_TIMEOUT:-300}
start_timeout=${FRESHEN_PROOF_START_TIMEOUT:-300}
project=freshen-proof
# The images the proof publishes: the local run's fixture, and one whose Dockerfile needs BuildKit.
image_id=fixture/runtime
buildkit_id=fixture/buildkit
registry=127.0.0.1:$((5000 + offset))
services=(watcher builder tester publisher notifier)

# docker-compose needs a working directory that exists for the whole run.
cd "$repo"
started=$SECONDS
script_name=proof
# shellcheck source=SCRIPTDIR/../lib/script.sh
source "$repo/deploy/lib/script.sh"
# Messages carry the seconds since the start. Any command that fails unexpectedly names the step, the command and its
# log (deploy/lib/script.sh); the EXIT trap then reports the containers and tears down.
say() { _line "$(printf '%4ss' "$((SECONDS - started))")  $*" >&2; }
# Debian's client (/usr/bin/docker) rather than whatever else is first on PATH.
docker_bin=$(if [ -x /usr/bin/docker ]; then echo /usr/bin/docker; else echo docker; fi)
docker_cli() { "$docker_bin" "$@"; }
# Only the proof's own env file is read (never a deployment's .env at the repository root), and its values are also
# exported, so that variables of the calling shell cannot change what is proven.
compose() {
  docker-compose --env-file "$state/proof.env" -p "$project" \
    -f "$repo/docker-compose.yml" -f "$here/docker-compose.local.yml" "$@"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Container ids, looked up once after `up` (each docker-compose call starts a Python interpreter).
declare -A ids=()
container() { echo "${ids[$1]}"; }

declare -A timings=()
timings_order=()
mark() { timings[$1]=$2; timings_order+=("$1"); }

project_objects() { docker_cli "$1" ls -q${2:+a} --filter "label=com.docker.compose.project=$project"; }
remove_project() {
  project_objects container a | xargs -r "$docker_bin" rm -f >/dev/null 2>&1 || true
  project_objects volume | xargs -r "$docker_bin" volume rm >/dev/null 2>&1 || true
  project_objects network | xargs -r "$docker_bin" network rm >/dev/null 2>&1 || true
}

# ---- teardown: always, also after a failure or Ctrl-C ---------------------------------------------------------
report_failure() {
  echo "[proof] ---- state of the containers" >&2
  compose ps >&2 || true
  local s
  for s in kafka registry webhook-receiver "${services[@]}"; do
    echo "[proof] ---- last 60 log lines of $s" >&2
    compose logs --no-color --tail=60 "$s" >&2 || true
  done
}

teardown() {
  local rc=$?
  trap - EXIT INT TERM
  if ((rc != 0)) && [ -f "$state/proof.env" ]; then report_failure; fi
  if [ -f "$state/proof.env" ]; then
    local t=$SECONDS
    if ! compose down -v --remove-orphans --timeout 20 >/dev/null 2>&1; then
      # Without docker-compose (its files gone?): by the project label, which names the proof's objects only.
      echo "[proof] warning: docker-compose down failed; removing the project's containers, volumes, network directly" >&2
      remove_project
    fi
    # Images the engine kept of the proof's registry (fixture base, candidates): named after its port, nobody else's.
    local leftovers
    leftovers=$(docker_cli image ls --format '{{.Repository}} {{.ID}}' | awk -v r="$registry/" 'index($1, r) == 1 {print $2}' | sort -u)
    # shellcheck disable=SC2086
    [ -z "$leftovers" ] || docker_cli rmi -f $leftovers >/dev/null 2>&1 || true
    say "torn down (docker-compose down -v) in $((SECONDS - t))s"
  fi
  if ((rc != 0)) && [ -d "$state" ]; then
    rm -rf "$failed_logs" && mkdir -p "$failed_logs"
    cp "$state"/*.log "$failed_logs/" 2>/dev/null || true
    echo "[proof] its own logs are kept in $failed_logs" >&2
  fi
  rm -rf "$state"
  if ((rc == 0)); then
    say "PASSED"
  else
    say "FAILED (exit $rc)"
  fi
  local k
  for k in "${timings_order[@]}"; do printf '[proof]   %-52s %5ss\n' "$k" "${timings[$k]}" >&2; done
  printf '[proof]   %-52s %5ss\n' "total" "$((SECONDS - started))" >&2
  exit "$rc"
}

# ---- 1. images --------------------------------------------------------------------------------------------------
step "starting the Docker engine (deploy/local/stack.sh)"
"$repo/deploy/local/stack.sh" up docker
t=$SECONDS
step "building the images (build-images.sh; its logs: ${FRESHEN_STATE_DIR:-$repo/.freshen}/compose)"
"$here/build-images.sh"
step "the proof (container logs below, and $failed_logs)"
mark "images (build-images.sh)" $((SECONDS - t))
command -v docker-compose >/dev/null || die "docker-compose is missing (apt-get install docker-compose)"

# ---- 2. settings and platform images for the proof ---------------------------------------------------------------
# Another proof on this engine (or one that was killed) would share the project name and the ports: stop here rather
# than tear down something that may still be running.
if [ -n "$(project_objects container a)" ]; then
  die "containers of project $project exist (another proof running, or a killed one); remove them with:
  docker rm -f \$(docker ps -aq --filter label=com.docker.compose.project=$project) && docker volume prune -f --filter label=com.docker.compose.project=$project"
fi
rm -rf "$state"
mkdir -p "$state"
chmod 0700 "$state"
trap teardown EXIT
trap 'exit 130' INT TERM

for port in $((5000 + offset)) $((9092 + offset)) $((8081 + offset)) $((8082 + offset)) $((8083 + offset)) \
  $((8084 + offset)) $((8085 + offset)) $((8090 + offset)); do
  port_open "$port" && die "127.0.0.1:$port is taken (set FRESHEN_PROOF_PORT_OFFSET)"
done

# The local run's platform images plus the proof's own (fixture/buildkit and its test application). The fixture
# platform images name their base 127.0.0.1:5000/...: point them at the proof's registry. The 30-second schedule of
# fixture/runtime is dropped (and the default schedule set to never) so that exactly one run of each happens: the
# forced one. cp keeps the files' modes: the proof's scripts are 0644 on purpose (COPY --chmod makes them executable).
cp -r "$repo/deploy/local/platform-images" "$state/platform-images"
cp -r "$here/proof/platform-images/." "$state/platform-images/"
for id in "$image_id" "$buildkit_id"; do
  sed -i "s|^FROM 127.0.0.1:5000/|FROM $registry/|" "$state/platform-images/$id/Dockerfile"
  grep -q "^FROM $registry/" "$state/platform-images/$id/Dockerfile" || die "$id: no FROM 127.0.0.1:5000/... to point at $registry"
done
sed -i '/^schedule:/d' "$state/platform-images/$image_id/platform-image.yaml"
# The proof's base (fixture-base.sh, default) is one linux/amd64 image: fixture/runtime is built for that platform
# alone here; two platforms are proven by deploy/local/run.sh and e2e MultiPlatformIT.
sed -i 's|^platforms: .*|platforms: [linux/amd64]|' "$state/platform-images/$image_id/platform-image.yaml"
chmod -R a+rX "$state/platform-images"

# The API key as a file secret, readable by the services' uid 185 (the folder around it is root's alone).
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$state/api-key"
chmod 0444 "$state/api-key"
api_key=$(cat "$state/api-key")

{
  "$here/build-images.sh" env
  cat <<ENV
COMPOSE_PROFILES=local
FRESHEN_TARGET_REGISTRY=$registry
FRESHEN_PLATFORM_IMAGES=$state/platform-images
FRESHEN_API_KEY_FILE=$state/api-key
DOCKER_GID=$(stat -c %g /var/run/docker.sock)
FRESHEN_REGISTRY_PORT=$((5000 + offset))
FRESHEN_KAFKA_PORT=$((9092 + offset))
FRESHEN_WATCHER_PORT=$((8081 + offset))
FRESHEN_BUILDER_PORT=$((8082 + offset))
FRESHEN_TESTER_PORT=$((8083 + offset))
FRESHEN_PUBLISHER_PORT=$((8084 + offset))
FRESHEN_NOTIFIER_PORT=$((8085 + offset))
FRESHEN_RECEIVER_PORT=$((8090 + offset))
FRESHEN_WATCHER_DEFAULT_SCHEDULE=0 0 0 1 1 ? 2099
FRESHEN_WATCHER_CHECK_ON_START=false
FRESHEN_MEM_LIMIT=640m
ENV
} >"$state/proof.env"
# Exported line by line (values may hold spaces, as the cron expression does; the file is not shell syntax).
while IFS='=' read -r key value; do export "$key=$value"; done <"$state/proof.env"

# ---- 3. up, and wait until healthy ------------------------------------------------------------------------------
t=$SECONDS
say "docker-compose -p $project up -d (local profile and override)"
compose up -d --no-build >"$state/up.log" 2>&1 || { cat "$state/up.log" >&2; die "docker-compose up failed (log above)"; }
for s in kafka registry webhook-receiver "${services[@]}"; do
  ids[$s]=$(compose ps -q "$s")
  [ -n "${ids[$s]}" ] || die "no container for $s"
done
# `up` returns once Kafka is healthy (the services depend on it); the services' JVMs start in parallel.
mark "  up until kafka healthy" $((SECONDS - t))
deadline=$((SECONDS + start_timeout))
for s in kafka "${services[@]}"; do
  id=$(container "$s")
  until [ "$(docker_cli inspect -f '{{.State.Health.Status}}' "$id")" = healthy ]; do
    status=$(docker_cli inspect -f '{{.State.Status}} restarts={{.RestartCount}}' "$id")
    [[ $status == "running restarts=0" ]] || die "$s is not running ($status)"
    ((SECONDS < deadline)) || die "$s did not become healthy within ${start_timeout}s"
    sleep 2
  done
done
until curl -fsS "http://$registry/v2/" >/dev/null 2>&1; do
  ((SECONDS < deadline)) || die "the registry did not answer on $registry"
  sleep 1
done
mark "up until every service healthy" $((SECONDS - t))
say "healthy: kafka ${services[*]}; registry on $registry"
# Builder and tester checked at start-up that their docker CLI (the image's) runs BuildKit builds.
for s in builder tester; do
  line=$(docker_cli logs "$(container "$s")" 2>&1 | grep -m1 'BuildKit builds through' || true)
  [ -n "$line" ] || die "the $s logged no BuildKit start-up check"
  # shellcheck disable=SC2001  # the pattern needs a regular expression
  say "$s: $(sed 's/.*\] ([^)]*) //' <<<"$line")"
done

# ---- 4. the vendor publishes a base, someone forces an update of each image ---------------------------------
t=$SECONDS
base=$(FRESHEN_REGISTRY_PORT=$((5000 + offset)) "$repo/deploy/local/fixture-base.sh" --registry "$registry")
say "fixture base published: $base"
declare -A runs=()
for id in "$image_id" "$buildkit_id"; do
  answer=$(curl -fsS -X POST -H "Authorization: Bearer $api_key" -H 'Content-Type: application/json' \
    -d '{"reason": "docker-compose proof"}' "http://127.0.0.1:$((8081 + offset))/api/v1/images/$id/force-update") \
    || die "the watcher refused the force-update of $id"
  runs[$id]=$(sed -n 's/.*"runId" *: *"\([^"]*\)".*/\1/p' <<<"$answer")
  [ -n "${runs[$id]}" ] || die "no run id in the watcher's answer for $id: $answer"
  say "force-update of $id accepted: run ${runs[$id]}"
done

# ---- 5. wait for the version tags, follow the stages in the logs -----------------------------------------------
repository_of() { sed -n 's/^ *repository: *//p' "$state/platform-images/$1/platform-image.yaml" | head -1; }
accept='application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
# The config blob of repository:tag in the proof's registry (JSON).
image_config() {
  local digest
  digest=$(curl -fsS -H "Accept: $accept" "http://$registry/v2/$1/manifests/$2" \
    | tr -d ' \n' | grep -o '"config":{[^}]*}' | grep -o 'sha256:[0-9a-f]*')
  curl -fsSL "http://$registry/v2/$1/blobs/$digest"
}

# await_published <image id> <version>: until the registry lists the version, reporting each stage as it finishes.
await_published() {
  local id=$1 version=$2 run=${runs[$1]} repository step svc line
  repository=$(repository_of "$id")
  local -A seen=()
  local deadline=$((t + run_timeout))
  until curl -fsS "http://$registry/v2/$repository/tags/list" 2>/dev/null | grep -q "\"$version\""; do
    for step in builder:candidate tester:verified publisher:published; do
      svc=${step%%:*}
      [ -z "${seen[$svc]:-}" ] || continue
      line=$(docker_cli logs "$(container "$svc")" 2>&1 | grep -m1 "Run $run .*${step#*:}" || true)
      if [ -n "$line" ]; then
        seen[$svc]=1
        mark "  $id: $svc done (after force-update)" $((SECONDS - t))
        # shellcheck disable=SC2001  # the pattern needs a regular expression
        say "$svc: $(sed 's/.*\] ([^)]*) //' <<<"$line")"
      fi
    done
    for svc in builder tester publisher; do
      line=$(docker_cli logs "$(container "$svc")" 2>&1 | grep -m1 "Run $run .*failed" || true)
      [ -z "$line" ] || die "the run of $id failed in the $svc: $line"
    done
    ((SECONDS < deadline)) || die "$registry/$repository:$version did not appear within ${run_timeout}s"
    sleep 2
  done
  mark "force-update until $id $version listed" $((SECONDS - t))
  # The stages that finished while the loop was not looking (the other image's wait, the last sleep).
  for step in builder:candidate tester:verified publisher:published; do
    svc=${step%%:*}
    [ -z "${seen[$svc]:-}" ] || continue
    line=$(docker_cli logs "$(container "$svc")" 2>&1 | grep -m1 "Run $run .*${step#*:}" || true)
    # shellcheck disable=SC2001  # the pattern needs a regular expression
    [ -z "$line" ] || say "$svc: $(sed 's/.*\] ([^)]*) //' <<<"$line")"
  done
  say "$registry/$repository tags: $(curl -fsS "http://$registry/v2/$repository/tags/list" | sed 's/.*"tags":\[\(.*\)\].*/\1/')"
  # The version tag must be this run's image: the builder labels every candidate with its run id.
  local labelled
  labelled=$(image_config "$repository" "$version" | grep -o '"dev.freshen.run-id":"[^"]*"' | sort -u || true)
  [ "$labelled" = "\"dev.freshen.run-id\":\"$run\"" ] || die "$version of $id is not the forced run's image (label: ${labelled:-none})"
  say "$id $version carries dev.freshen.run-id=$run"
}

version=10.0-1.0.0
buildkit_version=10.0-buildkit-1.0.0
await_published "$image_id" "$version"
await_published "$buildkit_id" "$buildkit_version"

# fixture/buildkit really went through BuildKit: the builder chose its BuildKit path (the docker CLI in its image),
# and BuildKit's Dockerfile frontend wrote the image's history (the classic builder writes no such comment, and
# refuses COPY --chmod and RUN --mount anyway). The tester built the BuildKit-only test application the same way,
# or the run would have failed.
path=$(docker_cli logs "$(container builder)" 2>&1 | grep -m1 "Run ${runs[$buildkit_id]} ($buildkit_id): building with" || true)
[[ $path == *"building with buildkit"* ]] || die "the builder did not build $buildkit_id with BuildKit: ${path:-no log line}"
history=$(image_config "$(repository_of "$buildkit_id")" "$buildkit_version" | grep -o '"comment":"buildkit.dockerfile.v0"' | wc -l)
((history > 0)) || die "$buildkit_id $buildkit_version has no BuildKit history (comment buildkit.dockerfile.v0)"
# shellcheck disable=SC2001  # the pattern needs a regular expression
say "builder: $(sed 's/.*\] ([^)]*) //' <<<"$path")"
say "$buildkit_id was built with BuildKit: the builder's log says so and $history history entries carry buildkit.dockerfile.v0"

# ---- 6. the notifier's card reached the stand-in for Teams ------------------------------------------------------
t=$SECONDS
receiver=$(container webhook-receiver)
# shellcheck disable=SC2016  # $0 is expanded by the container's bash: the version, passed as an argument
until docker_cli exec "$receiver" bash -c 'grep -l -- "$0" /data/*-teams.json' "$version" >/dev/null 2>&1; do
  ((SECONDS - t < 60)) || die "no Teams card for $version reached the webhook receiver within 60s"
  sleep 1
done
mark "card received (after publish)" $((SECONDS - t))
say "Teams card for $version received: $(docker_cli exec "$receiver" ls /data | tr '\n' ' ')"
