#!/usr/bin/env bash
# Pins every third-party image reference of the deployment files to the digest its tag points to now, in place:
# `registry:2` becomes `registry:2@sha256:<index digest>` (the digest of the tag's manifest as the registry serves it,
# for a multi-platform image its index, never one platform's manifest). A reference pinned already is resolved again
# and updated, so running it again refreshes the pins. Then deploy/unpinned-images.txt (the references not pinned yet)
# is rewritten to list only what is still unpinned. Run it on a machine that reaches the registries; see
# docs/release.md.
#
#   deploy/pin-images.sh [--dry-run] [--list] [--root DIR]
#
#   --dry-run   resolve, print every change (file:line: old -> new), write nothing
#   --list      print every third-party reference (file:line: reference), resolve nothing
#   --root DIR  the repository to work on (default: the one holding this script)
#
# Where references are (the rules deploy-tests/.../PinnedImagesTest checks, and nowhere else):
#   docker-compose.yml                `image:` values and ${..._IMAGE:-<default>} defaults
#   .env.example                      [# ]<NAME>_IMAGE=<reference> lines
#   deploy/docker/Dockerfile.service  ARG defaults of arguments used in FROM, and literal FROM references
#   deploy/k8s/** (*.yaml, *.yml)     `image:` values; kustomization `images:` entries with newTag (pinned by `digest:`)
#   deploy/k8s/** (*Dockerfile)       literal FROM references
# Freshen's own images (freshen/..., ${FRESHEN_IMAGE_PREFIX}...) are not third-party and are never touched.
#
# Resolves with the first of these that works: `docker buildx imagetools inspect` (the buildx plugin), `crane digest`,
# `skopeo inspect --raw` (its bytes hashed); FRESHEN_PIN_RESOLVER=buildx|crane|skopeo picks one. Registry logins are
# theirs (docker login / crane auth login / skopeo login). Every reference is resolved before any file is written: a
# failure changes nothing. Prints each change (file:line: old -> new) on stdout.
set -Eeuo pipefail

self=${BASH_SOURCE[0]}
script_name=pin
# shellcheck source=SCRIPTDIR/lib/script.sh
source "$(dirname "$self")/lib/script.sh"
say() { _line "$*" >&2; }
usage() { sed -n '2,/^set -Eeuo/p' "$self" | sed '$d; s/^# \{0,1\}//' >&2; }

root=$(cd "$(dirname "$self")/.." && pwd)
mode='write'
while (($#)); do
  case $1 in
    --dry-run) mode=dry-run; shift ;;
    --list) mode=list; shift ;;
    --root) [ $# -ge 2 ] || die "--root needs a folder"; root=$(cd "$2" && pwd) || die "no folder $2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage; die "unknown option '$1' (usage above)" ;;
  esac
done
allow_list=deploy/unpinned-images.txt

# ---- finding references -----------------------------------------------------------------------------------------
# A reference as it may stand in these files; a digest, when present, is part of it.
ref='[A-Za-z0-9][A-Za-z0-9._/:-]*(@sha256:[0-9a-f]{64})?'
# Each hit: "file<TAB>line<TAB>kind<TAB>reference". kind: inline (the reference is on the line) or kustomize (a
# kustomization images: entry: the line is its newTag, the digest goes in a digest: line).
hits=()

third_party() { [[ $1 != freshen/* && $1 != *'$'* && $1 != scratch ]]; }

add() { third_party "$4" && hits+=("$1"$'\t'"$2"$'\t'"$3"$'\t'"$4"); return 0; }

scan_compose() {
  local file=$1 n=0 line
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    [[ $line =~ ^[[:space:]]*# ]] && continue
    if [[ $line =~ \$\{[A-Z0-9_]*IMAGE:-($ref)\} ]]; then
      add "$file" "$n" inline "${BASH_REMATCH[1]}"
    elif [[ $line =~ ^[[:space:]]*(-[[:space:]]+)?image:[[:space:]]*[\"\']?($ref)[\"\']?[[:space:]]*(#.*)?$ ]]; then
      add "$file" "$n" inline "${BASH_REMATCH[2]}"
    fi
  done <"$root/$file"
}

scan_env() {
  local file=$1 n=0 line
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    if [[ $line =~ ^#?[[:space:]]*[A-Z0-9_]+_IMAGE=($ref)([[:space:]]|$) ]]; then
      add "$file" "$n" inline "${BASH_REMATCH[1]}"
    fi
  done <"$root/$file"
}

scan_dockerfile() {
  local file=$1 n=0 line from_args stages
  # The arguments FROM lines use (${NAME} or $NAME), and the stage names (FROM ... AS name), which are no images.
  from_args=$(grep -oE '^FROM[[:space:]]+\$\{?[A-Za-z_][A-Za-z0-9_]*' "$root/$file" | sed -E 's/^FROM[[:space:]]+\$\{?//' || true)
  stages=$(grep -ioE '^FROM[[:space:]].*[[:space:]]AS[[:space:]]+[^[:space:]]+' "$root/$file" | awk '{print $NF}' || true)
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    if [[ $line =~ ^ARG[[:space:]]+([A-Za-z_][A-Za-z0-9_]*)=($ref)[[:space:]]*$ ]]; then
      grep -qx "${BASH_REMATCH[1]}" <<<"$from_args" && add "$file" "$n" inline "${BASH_REMATCH[2]}"
    elif [[ $line =~ ^FROM[[:space:]]+(--platform=[^[:space:]]+[[:space:]]+)?($ref)([[:space:]]|$) ]]; then
      grep -qx "${BASH_REMATCH[2]}" <<<"$stages" || add "$file" "$n" inline "${BASH_REMATCH[2]}"
    fi
  done <"$root/$file"
}

# kustomization.yaml images: entries "- name: X" with "newTag: T" (and no newName of Freshen's): the reference is X:T.
scan_kustomization() {
  local file=$1 n=0 line in_images='' name='' new_name='' tag_line='' tag=''
  flush() {
    if [ -n "$name" ] && [ -n "$tag_line" ] && third_party "$name" && { [ -z "$new_name" ] || third_party "${new_name#*/}"; }; then
      hits+=("$file"$'\t'"$tag_line"$'\t'kustomize$'\t'"${new_name:-$name}:$tag")
    fi
    name='' new_name='' tag_line='' tag=''
  }
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    if [[ $line =~ ^images:[[:space:]]*$ ]]; then in_images=1; continue; fi
    [ -n "$in_images" ] || continue
    if [[ $line =~ ^[A-Za-z] ]]; then flush; in_images=; continue; fi
    if [[ $line =~ ^-[[:space:]]+name:[[:space:]]*([^[:space:]#]+) ]]; then flush; name=${BASH_REMATCH[1]}
    elif [[ $line =~ ^[[:space:]]+newName:[[:space:]]*([^[:space:]#]+) ]]; then new_name=${BASH_REMATCH[1]}
    elif [[ $line =~ ^[[:space:]]+newTag:[[:space:]]*[\"\']?([^[:space:]#\"\']+) ]]; then tag=${BASH_REMATCH[1]}; tag_line=$n
    fi
  done <"$root/$file"
  flush
}

[ -f "$root/docker-compose.yml" ] || die "$root is not a Freshen checkout (no docker-compose.yml)"
scan_compose docker-compose.yml
scan_env .env.example
scan_dockerfile deploy/docker/Dockerfile.service
while IFS= read -r file; do
  case $file in
    */kustomization.yaml) scan_kustomization "$file"; scan_compose "$file" ;;
    *.yaml|*.yml) scan_compose "$file" ;;
    *Dockerfile) scan_dockerfile "$file" ;;
  esac
done < <(cd "$root" && find deploy/k8s -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*Dockerfile' \) | sort)

if [ "$mode" = list ]; then
  for hit in "${hits[@]}"; do IFS=$'\t' read -r file n _ reference <<<"$hit"; printf '%s:%s: %s\n' "$file" "$n" "$reference"; done
  exit 0
fi

# ---- resolving ----------------------------------------------------------------------------------------------------
resolver=${FRESHEN_PIN_RESOLVER:-}
case $resolver in
  ''|buildx|crane|skopeo) ;;
  *) die "FRESHEN_PIN_RESOLVER=$resolver: use buildx, crane or skopeo" ;;
esac
if [ -n "$resolver" ]; then :
elif command -v docker >/dev/null && docker buildx version >/dev/null 2>&1; then resolver=buildx
elif command -v crane >/dev/null; then resolver=crane
elif command -v skopeo >/dev/null; then resolver=skopeo
else
  die "nothing to resolve digests with: install one of the docker buildx plugin (docker buildx imagetools), crane
  (go-containerregistry) or skopeo, log in to private registries with it, and run this again"
fi
say "resolving with $resolver"

# digest_of name:tag -> sha256:... of the tag's manifest (index) as the registry serves it.
digest_of() {
  local out digest
  case $resolver in
    buildx)
      out=$(docker buildx imagetools inspect "$1" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
      digest=$(sed -n 's/^Digest:[[:space:]]*\(sha256:[0-9a-f]\{64\}\).*/\1/p' <<<"$out" | head -1) ;;
    crane)
      digest=$(crane digest "$1" 2>&1) || { printf '%s\n' "$digest" >&2; return 1; } ;;
    skopeo)
      out=$(skopeo inspect --raw "docker://$1" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
      digest=sha256:$(printf '%s' "$out" | sha256sum | cut -d' ' -f1) ;;
  esac
  [[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || { printf 'unexpected answer: %s\n' "$digest" >&2; return 1; }
  printf '%s\n' "$digest"
}

declare -A pinned=()
for hit in "${hits[@]}"; do
  IFS=$'\t' read -r _ _ _ reference <<<"$hit"
  tagged=${reference%@*}
  [ -z "${pinned[$tagged]:-}" ] || continue
  [[ ${tagged##*/} == *:* ]] || die "$tagged names no tag: write the tag you mean (e.g. ${tagged}:1.2) before pinning"
  digest=$(digest_of "$tagged") || die "cannot resolve $tagged with $resolver (its output above): check the name, the
  network and, for a private registry, the login"
  pinned[$tagged]="$tagged@$digest"
  say "$tagged -> $digest"
done

# ---- rewriting ------------------------------------------------------------------------------------------------------
# rewrite file: applies every hit of that file; kustomize hits get a "digest:" line after newTag (replacing one).
changes=0
rewrite() {
  local file=$1 tmp n=0 line hit hfile hline kind reference new indent
  local -A inline=() kustomize=()
  for hit in "${hits[@]}"; do
    IFS=$'\t' read -r hfile hline kind reference <<<"$hit"
    [ "$hfile" = "$file" ] || continue
    if [ "$kind" = inline ]; then inline[$hline]=$reference; else kustomize[$hline]=$reference; fi
  done
  tmp=$(mktemp)
  local skip_digest=''
  # shellcheck disable=SC2094  # the file is read here and written from $tmp after the loop
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    if [ -n "$skip_digest" ] && [[ $line =~ ^[[:space:]]+digest: ]]; then skip_digest=; continue; fi
    skip_digest=
    if [ -n "${inline[$n]:-}" ]; then
      reference=${inline[$n]}
      new=${pinned[${reference%@*}]}
      if [ "$reference" != "$new" ]; then
        printf '%s:%s: %s -> %s\n' "$file" "$n" "$reference" "$new"
        line=${line/"$reference"/"$new"}
        changes=$((changes + 1))
      fi
      printf '%s\n' "$line" >>"$tmp"
    elif [ -n "${kustomize[$n]:-}" ]; then
      reference=${kustomize[$n]}
      new=${pinned[$reference]}
      indent=${line%%newTag:*}
      printf '%s\n%sdigest: %s\n' "$line" "$indent" "${new#*@}" >>"$tmp"
      # The digest: line that follows, if any, is replaced; report only a real change.
      local next
      # shellcheck disable=SC2094  # the file is only read here; it is written from $tmp after the loop
      next=$(sed -n "$((n + 1))p" "$root/$file")
      if [[ $next != *"${new#*@}"* ]]; then
        printf '%s:%s: %s -> %s (digest: line)\n' "$file" "$n" "$reference" "$new"
        changes=$((changes + 1))
      fi
      skip_digest=1
    else
      printf '%s\n' "$line" >>"$tmp"
    fi
  done <"$root/$file"
  if [ "$mode" = write ]; then cat "$tmp" >"$root/$file"; fi
  rm -f "$tmp"
}

files=$(for hit in "${hits[@]}"; do printf '%s\n' "${hit%%$'\t'*}"; done | sort -u)
for file in $files; do rewrite "$file"; done

if [ "$mode" = write ]; then
  # Every reference is pinned now: the allow-list keeps its comments and loses its entries.
  if [ -f "$root/$allow_list" ]; then
    grep -E '^[[:space:]]*(#|$)' "$root/$allow_list" >"$root/$allow_list.new" || true
    mv "$root/$allow_list.new" "$root/$allow_list"
  fi
  say "pinned ${#pinned[@]} reference(s), $changes change(s) written; $allow_list emptied. Review with git diff, then commit."
else
  say "dry run: ${#pinned[@]} reference(s) resolved, $changes change(s) would be written; nothing written"
fi
