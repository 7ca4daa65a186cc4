#!/usr/bin/env bash
# Builds every image docker-compose.yml runs, on this machine, without pulling anything from any registry:
#
#   freshen/java-base         Debian bookworm (debootstrap --variant=minbase) + openjdk-17-jre-headless, `docker import`ed
#   freshen/docker-cli        Debian's docker CLI binary (BuildKit built in, so no buildx plugin), the source of
#                             /usr/local/bin/docker and of an empty CLI plugins folder
#   freshen/registry          Debian's docker-registry (CNCF distribution 2.8), a stand-in for registry:2
#   freshen/kafka             Apache Kafka from its Maven Central jars (deploy/local/kafka/pom.xml), a stand-in for apache/kafka
#   freshen/webhook-receiver  deploy/local/WebhookReceiver.java on the Java base (the local stand-in for Teams)
#   freshen/<service>         the five services (deploy/docker/Dockerfile.service) from ./mvnw package output
#
#   deploy/compose/build-images.sh [java-base|docker-cli|registry|kafka|webhook-receiver|services ...]   default: all
#   deploy/compose/build-images.sh env     prints the variables that point docker-compose.yml at these images
#
# Idempotent and cached: the Java base is only rebuilt when its inputs change (the image carries their hash as the
# label dev.freshen.base-inputs) or FRESHEN_BASE_REFRESH=1 (do that now and then for Debian security updates); the other
# images are cheap and use Docker's layer cache. The services are packaged (./mvnw package -DskipTests) only when a
# module has no target/quarkus-app yet, or FRESHEN_REBUILD=1.
#
# Needs: root (debootstrap and chroot, first run only), a running Docker engine, apt for debootstrap/docker-registry.
# Prints the image names and sizes at the end. Settings (environment):
#   FRESHEN_IMAGE_PREFIX   name prefix of every image            default freshen/
#   FRESHEN_VERSION        tag of the five service images         default latest
#   DEBIAN_MIRROR          where debootstrap and apt download     default http://deb.debian.org/debian
set -Eeuo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
state=${FRESHEN_STATE_DIR:-$repo/.freshen}/compose
prefix=${FRESHEN_IMAGE_PREFIX:-freshen/}
version=${FRESHEN_VERSION:-latest}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$repo/deploy/local/kafka/pom.xml")

# The image names docker-compose.yml is pointed at (prove.sh and .env use the same ones).
java_base_image=${prefix}java-base:17-bookworm
docker_cli_image=${prefix}docker-cli:$(dpkg-query -W -f='${Version}' docker.io 2>/dev/null | sed 's/[+~].*//; s/[^A-Za-z0-9_.-]/-/g' || echo local)
registry_image=${prefix}registry:2-debian
kafka_image=${prefix}kafka:$kafka_version
receiver_image=${prefix}webhook-receiver:latest
services=(watcher builder tester publisher notifier)

script_name=images
# shellcheck source=SCRIPTDIR/../lib/script.sh
source "$repo/deploy/lib/script.sh"
log() { say "$*" >&2; }
# Debian's client (/usr/bin/docker) has BuildKit built in; a newer client elsewhere on PATH may lack buildx.
docker_cli() { if [ -x /usr/bin/docker ]; then /usr/bin/docker "$@"; else docker "$@"; fi; }

apt_install() {
  local missing=() pkg
  for pkg in "$@"; do dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg"); done
  ((${#missing[@]})) || return 0
  [ "$(id -u)" = 0 ] || die "needs root to install ${missing[*]} (apt-get install ${missing[*]})"
  log "installing ${missing[*]} (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ---- freshen/java-base ------------------------------------------------------------------------------------------
# Everything that decides the content of the base; its hash is the cache key.
base_recipe() {
  cat <<RECIPE
suite=bookworm variant=minbase mirror=$mirror
sources=bookworm bookworm-updates bookworm-security
packages=openjdk-17-jre-headless ca-certificates
removed=apt-lists apt-cache docs man locales logs
recipe=1
RECIPE
}

java_base() {
  local key current
  key=$(base_recipe | sha256sum | cut -c1-16)
  current=$(docker_cli image inspect -f '{{index .Config.Labels "dev.freshen.base-inputs"}}' "$java_base_image" 2>/dev/null || true)
  if [ "$current" = "$key" ] && [ "${FRESHEN_BASE_REFRESH:-}" != 1 ]; then
    log "java-base: $java_base_image is up to date (inputs $key)"
    return
  fi
  [ "$(id -u)" = 0 ] || die "building $java_base_image needs root (debootstrap, chroot)"
  apt_install debootstrap
  local started=$SECONDS root
  root=$(mktemp -d /var/tmp/freshen-java-base.XXXXXX)
  # Unmount before removing, whatever happens: rm -rf through a mounted /proc would be a disaster.
  trap 'umount "$root/proc" 2>/dev/null || true; rm -rf --one-file-system "$root"' EXIT
  log "java-base: debootstrap --variant=minbase bookworm (a few minutes; log: $state/debootstrap.log)"
  step "java-base: debootstrap" "$state/debootstrap.log"
  mkdir -p "$state"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$state/debootstrap.log" 2>&1 \
    || { tail -n 20 "$state/debootstrap.log" >&2; die "debootstrap failed"; }
  # debootstrap only knows the release itself; security and point updates come from the other suites.
  local security=${mirror%/debian}/debian-security
  cat >"$root/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
SOURCES
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # ca-certificates-java runs java in its trigger, and java needs /proc.
  mount -t proc proc "$root/proc"
  log "java-base: installing openjdk-17-jre-headless"
  chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive sh -ec '
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless ca-certificates
    apt-get clean' >>"$state/debootstrap.log" 2>&1 \
    || { tail -n 20 "$state/debootstrap.log" >&2; die "installing the JRE failed"; }
  umount "$root/proc"
  local java_home
  java_home=$(dirname "$(dirname "$(readlink -f "$root/usr/bin/java" | sed "s:^$root::")")")
  # Nothing that only matters to apt, man or translators: the image is for running a JVM.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*.log \
    "$root"/var/log/apt/* "$root"/tmp/* "$root"/root/.[!.]*
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +
  : >"$root/etc/resolv.conf"
  log "java-base: importing $java_base_image"
  tar -C "$root" --numeric-owner -c . | docker_cli import \
    --change "ENV JAVA_HOME=$java_home" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL dev.freshen.base-inputs=$key" \
    --change 'LABEL org.opencontainers.image.title="Freshen Java base" org.opencontainers.image.description="Debian bookworm minbase + openjdk-17-jre-headless, built with debootstrap"' \
    --change 'CMD ["bash"]' \
    - "$java_base_image" >/dev/null
  rm -rf --one-file-system "$root"
  trap - EXIT
  step ""
  local java_version
  java_version=$(docker_cli run --rm "$java_base_image" java -version 2>&1)
  log "java-base: ${java_version%%$'\n'*}"
  log "java-base: built in $((SECONDS - started))s"
}

# ---- small images from Debian binaries ----------------------------------------------------------------------
# Copies a dynamically linked binary and the libraries ldd names into a root folder, so the image can be FROM scratch.
copy_with_libs() {
  local binary=$1 target=$2 rootfs=$3 lib
  install -D -m 0755 "$binary" "$rootfs$target"
  for lib in $(ldd "$binary" | grep -o '/[^ ]*'); do
    install -D -m 0755 "$(readlink -f "$lib")" "$rootfs$lib"
  done
}

docker_cli_image_build() {
  apt_install docker.io
  local ctx
  ctx=$(mktemp -d)
  # Only /usr/local/bin/docker and the CLI plugins folder are ever copied out of this image (like docker:27-cli); the
  # services' Java base has the glibc the client links against. The folder stays empty: Debian's 20.10 client has
  # BuildKit built in and needs no buildx plugin.
  install -D -m 0755 /usr/bin/docker "$ctx/rootfs/usr/local/bin/docker"
  mkdir -p "$ctx/rootfs/usr/local/libexec/docker/cli-plugins"
  docker_cli build -q -t "$docker_cli_image" -f "$here/images/docker-cli/Dockerfile" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "docker-cli: $docker_cli_image"
}

registry_image_build() {
  apt_install docker-registry
  local ctx
  ctx=$(mktemp -d)
  copy_with_libs /usr/bin/docker-registry /bin/registry "$ctx/rootfs"
  install -D -m 0644 "$here/images/registry/config.yml" "$ctx/rootfs/etc/docker/registry/config.yml"
  mkdir -p "$ctx/data"
  docker_cli build -q -t "$registry_image" -f "$here/images/registry/Dockerfile" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "registry: $registry_image"
}

kafka_image_build() {
  local libs=$state/kafka-libs-$kafka_version ctx
  if [ ! -f "$libs/.complete" ]; then
    log "kafka: fetching the Kafka $kafka_version jars from Maven Central (deploy/local/kafka/pom.xml)"
    rm -rf "$libs"
    "$repo/mvnw" -B -q -f "$repo/deploy/local/kafka/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$libs" || die "could not fetch the Kafka jars"
    touch "$libs/.complete"
  fi
  ctx=$(mktemp -d)
  cp -r "$libs" "$ctx/libs" && rm -f "$ctx/libs/.complete"
  cp "$here/images/kafka/run" "$here/images/kafka/log4j2.properties" "$ctx/"
  docker_cli build -q -t "$kafka_image" --build-arg JAVA_BASE="$java_base_image" \
    -f "$here/images/kafka/Dockerfile" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "kafka: $kafka_image"
}

receiver_image_build() {
  local ctx
  ctx=$(mktemp -d)
  # Compiled here because a JRE cannot run a .java file (no jdk.compiler), and there is no JDK image to build in.
  javac -d "$ctx" "$repo/deploy/local/WebhookReceiver.java"
  docker_cli build -q -t "$receiver_image" --build-arg JAVA_BASE="$java_base_image" \
    -f "$here/images/webhook-receiver/Dockerfile" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "webhook-receiver: $receiver_image"
}

# ---- the five services ------------------------------------------------------------------------------------------
services_build() {
  local s unpackaged=
  for s in "${services[@]}"; do [ -f "$repo/$s-service/target/quarkus-app/quarkus-run.jar" ] || unpackaged=1; done
  if [ -n "$unpackaged" ] || [ "${FRESHEN_REBUILD:-}" = 1 ]; then
    log "services: ./mvnw -B -q package -DskipTests"
    (cd "$repo" && ./mvnw -B -q package -DskipTests) || die "the build failed"
  fi
  apt_install docker-compose
  # docker-compose.yml holds the build arguments of each service; build through it so they are written once. Only the
  # variables the build needs are given; the file's required settings get placeholders (nothing is started here).
  # An empty env file, so that a .env at the repository root (someone's deployment settings) plays no part.
  local empty
  empty=$(mktemp)
  # BuildKit through Debian's client (it has BuildKit built in; a newer client on PATH may lack buildx and fall back
  # to the deprecated classic builder). With BuildKit, images without the docker CLI skip that stage entirely.
  log "services: docker-compose build ${services[*]} (BuildKit)"
  step "building the service jars" "$state/build-services.log"
  (cd "$repo" && env PATH="/usr/bin:$PATH" DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1 \
    JAVA_BASE_IMAGE="$java_base_image" DOCKER_CLI_IMAGE="$docker_cli_image" \
    FRESHEN_IMAGE_PREFIX="$prefix" FRESHEN_VERSION="$version" \
    FRESHEN_TARGET_REGISTRY=unused FRESHEN_PLATFORM_IMAGES=/nonexistent FRESHEN_API_KEY_FILE="$empty" DOCKER_GID=0 \
    docker-compose --env-file "$empty" -f docker-compose.yml -p freshen-images build "${services[@]}") \
    >"$state/build-services.log" 2>&1 \
    || { rm -f "$empty"; tail -n 30 "$state/build-services.log" >&2; die "docker-compose build failed (log: $state/build-services.log)"; }
  rm -f "$empty"
  step ""
  # Also tagged with the Maven project version, the tag the Kubernetes manifests (deploy/k8s) name.
  local project_version
  project_version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$repo/pom.xml")
  if [ -n "$project_version" ] && [ "$project_version" != "$version" ]; then
    for s in "${services[@]}"; do docker_cli tag "${prefix}$s:$version" "${prefix}$s:$project_version"; done
  fi
}

declare -A built=()
# build <step>: runs a step once, after the steps it needs.
build() {
  [ -z "${built[$1]:-}" ] || return 0
  case $1 in
    java-base) java_base ;;
    docker-cli) docker_cli_image_build ;;
    registry) registry_image_build ;;
    kafka) build java-base; kafka_image_build ;;
    webhook-receiver) build java-base; receiver_image_build ;;
    services) build java-base; build docker-cli; services_build ;;
    *) sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; die "unknown step '$1' (usage above)" ;;
  esac
  built[$1]=1
}

# The variables that point docker-compose.yml at these images (prove.sh reads them; paste them into .env).
print_env() {
  cat <<ENV
JAVA_BASE_IMAGE=$java_base_image
DOCKER_CLI_IMAGE=$docker_cli_image
KAFKA_IMAGE=$kafka_image
REGISTRY_IMAGE=$registry_image
WEBHOOK_RECEIVER_IMAGE=$receiver_image
FRESHEN_IMAGE_PREFIX=$prefix
FRESHEN_VERSION=$version
ENV
}

main() {
  if [ "${1:-}" = env ]; then print_env; return; fi
  local steps=("$@") step started=$SECONDS
  ((${#steps[@]})) || steps=(java-base docker-cli registry kafka webhook-receiver services)
  docker_cli info >/dev/null 2>&1 || die "no Docker engine answers (deploy/local/stack.sh up docker starts one)"
  mkdir -p "$state"
  for step in "${steps[@]}"; do build "$step"; done
  log "done in $((SECONDS - started))s:"
  docker_cli image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep "^${prefix}" | sort | sed 's/^/[images]   /' >&2
}

main "$@"
