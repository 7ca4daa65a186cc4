#!/usr/bin/env bash
# Publishes a fixture "upstream" base image to a registry, standing in for e.g. mcr.microsoft.com/dotnet/runtime:10.0
# where nothing can be pulled. Made of Debian's busybox-static (a shell and an HTTP server) for each platform, so no
# pull is needed. Every revision has a different digest: publishing again simulates the vendor updating the base.
#
#   deploy/local/fixture-base.sh [--registry HOST:PORT] [--repository NAME] [--tag TAG] [--revision TEXT]
#                                [--platforms linux/amd64[,linux/arm64]]
#
# Defaults: --registry 127.0.0.1:${FRESHEN_REGISTRY_PORT:-5000} --repository dotnet/runtime --tag 10.0
#           --revision <current time in nanoseconds> --platforms linux/amd64
# Prints the pushed reference, pinned by digest, on stdout: 127.0.0.1:5000/dotnet/runtime:10.0@sha256:...
#
# One platform gives a plain image manifest (as a single-platform vendor image); linux/amd64,linux/arm64 gives an OCI
# image index of both, as Microsoft publishes .NET. The arm64 image needs Debian's arm64 busybox-static binary
# (/usr/local/lib/freshen/arm64/busybox, fetched by deploy/local/stack.sh up); without it the base is linux/amd64 only,
# with a warning.
#
# Nothing is built or run: each image is written as files (COPY-like layers, no RUN, so no emulation is needed) and
# pushed anonymously with curl through the distribution API, to a registry without authentication. Layer 1 is the
# root file system (busybox and its applet links in /bin, /etc/passwd and /etc/group with root and app (uid 1654),
# /home/app owned by app, /root, /tmp), the same for every revision of a platform; layer 2 holds
# /etc/fixture-revision. Children are Docker image manifests (what `docker push` writes), the index is OCI
# (application/vnd.oci.image.index.v1+json), like an index Freshen's builder assembles.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
script_name=fixture-base
# shellcheck source=SCRIPTDIR/../lib/script.sh
source "$repo/deploy/lib/script.sh"

usage() { sed -n '2,/^# Nothing is built/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
registry=127.0.0.1:${FRESHEN_REGISTRY_PORT:-5000}
repository=dotnet/runtime
tag=10.0
revision=$(date +%s%N)
platforms=linux/amd64
while (($#)); do
  case $1 in
    --registry) registry=$2; shift 2 ;;
    --repository) repository=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --revision) revision=$2; shift 2 ;;
    --platforms) platforms=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

manifest_type=application/vnd.docker.distribution.manifest.v2+json
config_type=application/vnd.docker.container.image.v1+json
layer_type=application/vnd.docker.image.rootfs.diff.tar.gzip
index_type=application/vnd.oci.image.index.v1+json
api=http://$registry/v2/$repository
arm64_busybox=/usr/local/lib/freshen/arm64/busybox

# The busybox-static binary of a platform.
busybox_of() {
  case $1 in
    linux/amd64) echo /bin/busybox ;;
    linux/arm64) echo "$arm64_busybox" ;;
  esac
}

wanted=()
IFS=, read -r -a requested <<<"$platforms"
for platform in "${requested[@]}"; do
  [[ $platform == linux/amd64 || $platform == linux/arm64 ]] \
    || die "no fixture base for platform '$platform' (--platforms takes linux/amd64 and linux/arm64)"
  busybox=$(busybox_of "$platform")
  if [ -x "$busybox" ]; then
    wanted+=("$platform")
  elif [ "$platform" = linux/amd64 ]; then
    die "/bin/busybox missing (apt-get install busybox-static)"
  else
    warn "$busybox (Debian's busybox-static for arm64) is missing: publishing the base for ${wanted[*]:-linux/amd64} only (deploy/local/stack.sh up as root fetches it)"
  fi
done
((${#wanted[@]})) || die "--platforms names no platform"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=${FRESHEN_STATE_DIR:-$repo/.freshen}/logs/fixture-base.log
mkdir -p "$(dirname "$log")"
: >"$log"

sha256() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }
size() { stat -c %s "$1"; }

# push_blob FILE: uploads a blob unless the repository has it (monolithic upload: POST, then PUT ?digest=).
push_blob() {
  local file=$1 digest location
  digest=$(sha256 "$file")
  curl -fsS -o /dev/null -I "$api/blobs/$digest" 2>/dev/null && return
  step "uploading blob $digest to $registry/$repository" "$log"
  location=$(curl -fsS -o /dev/null -D - -X POST "$api/blobs/uploads/" 2>>"$log" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  [ -n "$location" ] || die "$registry did not start an upload to $repository (is it a registry without authentication?)"
  [[ $location == /* ]] && location=http://$registry$location
  [[ $location == *\?* ]] && location+="&" || location+="?"
  curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$file" \
    "${location}digest=$digest" 2>>"$log"
}

# put_manifest FILE MEDIA_TYPE REFERENCE: puts a manifest under a tag or its digest.
put_manifest() {
  step "putting manifest $3 ($2) to $registry/$repository" "$log"
  curl -fsS -o /dev/null -X PUT -H "Content-Type: $2" --data-binary "@$1" "$api/manifests/$3" 2>>"$log"
}

# layer DIR NAME: writes NAME.tar (deterministic: sorted, mtime 0, owner root unless chowned below) and NAME.tar.gz.
tar_options=(--format=ustar --mtime=@0 --numeric-owner --no-recursion)
gzip_layer() { gzip -n -c "$1.tar" >"$1.tar.gz"; }

# image PLATFORM: writes and pushes one platform's image; prints "<manifest digest> <size>".
image() {
  local platform=$1 arch=${1#linux/} dir=$work/${1//\//-} busybox applet
  busybox=$(busybox_of "$platform")
  mkdir -p "$dir/root/bin" "$dir/root/etc" "$dir/root/home/app" "$dir/root/root" "$dir/root/tmp" "$dir/revision/etc"
  install -m 0755 "$busybox" "$dir/root/bin/busybox"
  # The applets of the amd64 binary (the same Debian version for both platforms), as `busybox --install -s /bin`.
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s /bin/busybox "$dir/root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1654:1654:app:/home/app:/bin/sh\n' >"$dir/root/etc/passwd"
  printf 'root:x:0:\napp:x:1654:\n' >"$dir/root/etc/group"
  chmod 0644 "$dir/root/etc/passwd" "$dir/root/etc/group"
  chmod 0755 "$dir/root/bin" "$dir/root/etc" "$dir/root/home" "$dir/root/home/app" "$dir/root/root" "$dir/revision/etc"
  chmod 1777 "$dir/root/tmp"
  (cd "$dir/root" && find . -mindepth 1 ! -path ./home/app -printf '%P\n' | LC_ALL=C sort \
    | tar -cf "$dir/rootfs.tar" "${tar_options[@]}" --owner=0 --group=0 -T - \
    && tar -rf "$dir/rootfs.tar" "${tar_options[@]}" --owner=1654 --group=1654 home/app)
  printf '%s\n' "$revision" >"$dir/revision/etc/fixture-revision"
  chmod 0644 "$dir/revision/etc/fixture-revision"
  (cd "$dir/revision" && tar -cf "$dir/revision.tar" "${tar_options[@]}" --owner=0 --group=0 etc etc/fixture-revision)
  gzip_layer "$dir/rootfs"
  gzip_layer "$dir/revision"
  local variant=""
  [ "$arch" = arm64 ] && variant=',"variant":"v8"'
  printf '{"architecture":"%s","os":"linux"%s,"created":"%s","config":{"Env":["APP_UID=1654","PATH=/bin"],"Labels":{"org.opencontainers.image.description":"busybox-static stand-in for an upstream vendor base image","org.opencontainers.image.title":"Freshen fixture base"}},"rootfs":{"type":"layers","diff_ids":["%s","%s"]}}' \
    "$arch" "$variant" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(sha256 "$dir/rootfs.tar")" "$(sha256 "$dir/revision.tar")" >"$dir/config.json"
  push_blob "$dir/rootfs.tar.gz"
  push_blob "$dir/revision.tar.gz"
  push_blob "$dir/config.json"
  printf '{"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"%s","size":%s,"digest":"%s"},"layers":[{"mediaType":"%s","size":%s,"digest":"%s"},{"mediaType":"%s","size":%s,"digest":"%s"}]}' \
    "$manifest_type" "$config_type" "$(size "$dir/config.json")" "$(sha256 "$dir/config.json")" \
    "$layer_type" "$(size "$dir/rootfs.tar.gz")" "$(sha256 "$dir/rootfs.tar.gz")" \
    "$layer_type" "$(size "$dir/revision.tar.gz")" "$(sha256 "$dir/revision.tar.gz")" >"$dir/manifest.json"
  echo "$dir/manifest.json"
}

curl -fsS -o /dev/null "http://$registry/v2/" 2>>"$log" || die "no registry without authentication answers on $registry (log: $log)"
if ((${#wanted[@]} == 1)); then
  manifest=$(image "${wanted[0]}")
  put_manifest "$manifest" "$manifest_type" "$tag"
  digest=$(sha256 "$manifest")
else
  entries=()
  for platform in "${wanted[@]}"; do
    manifest=$(image "$platform")
    put_manifest "$manifest" "$manifest_type" "$(sha256 "$manifest")"
    variant=""
    [ "$platform" = linux/arm64 ] && variant=',"variant":"v8"'
    entries+=("$(printf '{"mediaType":"%s","size":%s,"digest":"%s","platform":{"architecture":"%s","os":"linux"%s}}' \
      "$manifest_type" "$(size "$manifest")" "$(sha256 "$manifest")" "${platform#linux/}" "$variant")")
  done
  (IFS=,; printf '{"schemaVersion":2,"mediaType":"%s","manifests":[%s]}' "$index_type" "${entries[*]}") >"$work/index.json"
  put_manifest "$work/index.json" "$index_type" "$tag"
  digest=$(sha256 "$work/index.json")
fi
echo "$registry/$repository:$tag@$digest"
