#!/usr/bin/env bash
# The streamed blob copy with a capped heap (issue "Registries as they behave in the field"): generates a layer
# (2 GiB by default, never held in memory), pushes it into one docker-registry process, copies it to a second with
# RegistryClient.copyBlob in a child JVM started with -Xmx256m, and checks the digest of what the target serves.
#
#   benchmarks/blob-copy.sh [--size-mib N] [--heap 256m]
#
# Prints a Markdown table on stdout (progress on stderr); exits 1 when the copy failed or the digest did not match.
# Needs the docker-registry package (deploy/local/stack.sh installs it) and about twice the layer's size of free disk
# in the temporary directory; both registries run on free ports of 127.0.0.1 and their data is deleted at the end.
# Not part of benchmarks/run.sh (it moves 6 GiB through the disk for a 2 GiB layer).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
echo "building the benchmarks module" >&2
./mvnw -B -q ${MAVEN_OFFLINE:+-o} -Pbenchmarks -pl benchmarks -am package -Dmaven.test.skip=true -Dquarkus.build.skip=true
classpath="$here/target/classes:$(cat "$here/target/classpath.txt")"
exec java -Xmx512m -cp "$classpath" dev.freshen.bench.BlobCopyBench "$@"
