#!/bin/sh
# freshen: the Freshen operator command (docs/cli.md). This file is a shell script followed by a Java archive:
# copy it anywhere on PATH; it needs only a Java 17+ runtime (java on PATH, or JAVA_HOME). JAVA_OPTS replaces the
# default JVM options. `java -jar freshen ...` runs it too.
java=java
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java; fi
if ! command -v "$java" >/dev/null 2>&1; then
  echo "freshen: needs a Java 17+ runtime: install one (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME" >&2
  exit 1
fi
exec "$java" ${JAVA_OPTS:--XX:TieredStopAtLevel=1} -jar "$0" "$@"
