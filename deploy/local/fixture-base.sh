#!/usr/bin/env bash
# Publishes a fixture "upstream" base image to a registry, standing in for e.g. mcr.microsoft.com/dotnet/runtime:10.0
# where nothing can be pulled. Built FROM scratch with Debian's busybox-static (a shell and an HTTP server), so no
# pull is needed. Every revision has a different digest: publishing again simulates the vendor updating the base.
#
#   deploy/local/fixture-base.sh [--registry HOST:PORT] [--repository NAME] [--tag TAG] [--revision TEXT]
#
# Defaults: --registry 127.0.0.1:${FRESHEN_REGISTRY_PORT:-5000} --repository dotnet/runtime --tag 10.0
#           --revision <current time in nanoseconds>
# Prints the pushed reference, pinned by digest, on stdout: 127.0.0.1:5000/dotnet/runtime:10.0@sha256:...
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
script_name=fixture-base
# shellcheck source=SCRIPTDIR/../lib/script.sh
source "$repo/deploy/lib/script.sh"

registry=127.0.0.1:${FRESHEN_REGISTRY_PORT:-5000}
repository=dotnet/runtime
tag=10.0
revision=$(date +%s%N)
while (($#)); do
  case $1 in
    --registry) registry=$2; shift 2 ;;
    --repository) repository=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --revision) revision=$2; shift 2 ;;
    -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; die "unknown option '$1'" ;;
  esac
done

docker_cli() { if [ -x /usr/bin/docker ]; then /usr/bin/docker "$@"; else docker "$@"; fi; }

[ -x /bin/busybox ] || die "/bin/busybox missing (apt-get install busybox-static)"
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp /bin/busybox "$context/busybox"
printf '%s\n' "$revision" >"$context/revision"
cat >"$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /tmp /root /home/app && chmod 1777 /tmp \
 && echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd \
 && echo 'app:x:1654:1654:app:/home/app:/bin/sh' >> /etc/passwd \
 && echo 'root:x:0:' > /etc/group && echo 'app:x:1654:' >> /etc/group \
 && chown 1654:1654 /home/app
COPY revision /etc/fixture-revision
ENV APP_UID=1654 PATH=/bin
LABEL org.opencontainers.image.title="Freshen fixture base" \
      org.opencontainers.image.description="busybox-static stand-in for an upstream vendor base image"
DOCKERFILE

ref="$registry/$repository:$tag"
log=${FRESHEN_STATE_DIR:-$repo/.freshen}/logs/fixture-base.log
mkdir -p "$(dirname "$log")"
step "building the fixture base $ref" "$log"
# The classic builder reuses cached intermediate images; a `docker rmi` elsewhere on the same engine (a builder removing
# a candidate it pushed, another fixture) can delete one between its cache lookup and its use ("unable to find image
# sha256:…"). That race is the engine's, not the Dockerfile's: build once more without the cache.
if ! docker_cli build -t "$ref" "$context" >"$log" 2>&1; then
  if ! grep -q 'unable to find image "sha256:' "$log"; then
    tail -n 8 "$log" | sed 's/^/    /' >&2
    die "building the fixture base $ref failed (log: $log)"
  fi
  warn "a cached layer vanished while building $ref (another build on the engine removed it): building again without the cache"
  docker_cli build --no-cache -t "$ref" "$context" >>"$log" 2>&1
fi
step "pushing $ref" "$log"
docker_cli push "$ref" >>"$log" 2>&1
pinned=$(docker_cli image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$ref" | grep -m1 "^$registry/$repository@")
docker_cli rmi "$ref" >/dev/null
echo "$ref@${pinned#*@}"
