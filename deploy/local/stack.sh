#!/usr/bin/env bash
# Freshen's local stack: Docker engine, an OCI registry and a Kafka broker, all on 127.0.0.1.
#
#   deploy/local/stack.sh up [emulation|docker|registry|kafka ...]   install what is missing, start, wait until ready
#   deploy/local/stack.sh down [registry|kafka|docker ...]            stop what this script started
#   deploy/local/stack.sh status                                      one line per component
#
# Idempotent: a component that is already running is left alone. Everything it starts writes its data, pid and
# log under $FRESHEN_STATE_DIR (default: .freshen/ at the repository root). Every `up` first sets up the emulation
# of linux/arm64 (QEMU through binfmt_misc, before dockerd starts); a host that cannot emulate gets a warning only.
#
# Settings (environment):
#   FRESHEN_STATE_DIR       where data, pids and logs go           default <repo>/.freshen
#   FRESHEN_REGISTRY_PORT   port of the local OCI registry          default 5000
#   FRESHEN_KAFKA_PORT      port of the Kafka broker (KRaft)        default 9092
#   FRESHEN_KAFKA_CONTROLLER_PORT  port of the KRaft controller     default 9093
#   FRESHEN_READY_TIMEOUT   seconds to wait for each component      default 90
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
script_name=stack
# shellcheck source=SCRIPTDIR/../lib/script.sh
source "$repo/deploy/lib/script.sh"
state=${FRESHEN_STATE_DIR:-$repo/.freshen}
registry_port=${FRESHEN_REGISTRY_PORT:-5000}
kafka_port=${FRESHEN_KAFKA_PORT:-9092}
controller_port=${FRESHEN_KAFKA_CONTROLLER_PORT:-9093}
ready_timeout=${FRESHEN_READY_TIMEOUT:-90}

log() { say "$*" >&2; }

# wait_for <what> <log file> <command...>: polls the command once a second until it succeeds or time runs out.
wait_for() {
  local what=$1 logfile=$2; shift 2
  local deadline=$((SECONDS + ready_timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      [ -f "$logfile" ] && tail -n 20 "$logfile" >&2
      die "$what did not become ready within ${ready_timeout}s (log: $logfile)"
    fi
    sleep 1
  done
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
  deb_installed busybox-static || missing+=(busybox-static)
  command -v htpasswd >/dev/null || missing+=(apache2-utils)
  command -v curl >/dev/null || missing+=(curl)
  command -v kubectl >/dev/null || missing+=(kubernetes-client) # deploy-tests render deploy/k8s with kubectl kustomize
  command -v promtool >/dev/null || missing+=(prometheus) # deploy-tests check deploy/monitoring's rules with promtool
  # linux/arm64 builds and tests under emulation. Not fatal without root: emulation then reports why it is unavailable.
  [ -x "$qemu_aarch64" ] || [ "$(id -u)" != 0 ] || missing+=(qemu-user-static)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} (apt)"
    [ "$(id -u)" = 0 ] || die "installing packages needs root: apt-get install ${missing[*]}"
    mkdir -p "$state"
    step "installing ${missing[*]} with apt" "$state/apt.log"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$state/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$state/apt.log" 2>&1
  fi
  install_arm64_busybox
}

# The multi-arch fixture base (freshen-test-support's MultiArchBase) puts Debian's arm64 busybox-static binary in its
# linux/arm64 image. Only the binary is needed, so the package is downloaded and unpacked, not installed.
arm64_busybox=/usr/local/lib/freshen/arm64/busybox
install_arm64_busybox() {
  [ -x "$arm64_busybox" ] && return
  if [ "$(id -u)" != 0 ]; then
    warn "$arm64_busybox (Debian's busybox-static for arm64) is missing and fetching it needs root: run deploy/local/stack.sh up as root (until then the fixture base is linux/amd64 only)"
    return
  fi
  mkdir -p "$state"
  step "fetching busybox-static:arm64 with apt into $arm64_busybox" "$state/apt-arm64.log"
  local work
  work=$(mktemp -d)
  chmod 0755 "$work" # apt-get download runs as _apt where it can
  dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$state/apt-arm64.log" 2>&1
  (cd "$work" && apt-get download -qq busybox-static:arm64) >>"$state/apt-arm64.log" 2>&1 \
    && dpkg-deb -x "$work"/busybox-static_*_arm64.deb "$work/root" \
    && install -D -m 0755 "$work/root/bin/busybox" "$arm64_busybox" \
    || { rm -rf "$work"; die "could not fetch busybox-static:arm64 (log: $state/apt-arm64.log)"; }
  rm -rf "$work"
}

# The fixture images have no libc, so they need busybox-static's binary, not the dynamic busybox.
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

# ---- emulation ------------------------------------------------------------------------------------------------
# linux/arm64 images are built and tested on this amd64 engine under QEMU user emulation: the kernel hands every
# aarch64 ELF to qemu-aarch64-static through binfmt_misc. The registration needs two flags:
#   F  "fix binary": the kernel opens the interpreter when it is registered, so that it also works inside containers,
#      whose root file system has no /usr/bin/qemu-aarch64-static;
#   P  "preserve argv[0]": busybox (and any multi-call binary) picks the applet by argv[0]; without P a `cat` or `id`
#      that busybox sh starts runs as `sh`, and `sh -c "cat /f"` executes /f as a script.
# Debian's qemu-user-static ships /usr/lib/binfmt.d/qemu-aarch64.conf (interpreter
# /usr/libexec/qemu-binfmt/aarch64-binfmt-P, flags OPF) but registers nothing without systemd-binfmt or binfmt-support;
# this script registers its own line, with that file's magic and mask and the static interpreter, flags FP.
# The registration is kernel state, shared by the whole machine and lost at reboot; `up` registers it again. Replacing
# a registration takes effect at once, also for a running dockerd (only a missing one needs a daemon restart).
qemu_aarch64=/usr/bin/qemu-aarch64-static
binfmt_dir=/proc/sys/fs/binfmt_misc
binfmt_conf=/usr/lib/binfmt.d/qemu-aarch64.conf
# QEMU's aarch64 magic and mask (scripts/qemu-binfmt-conf.sh), used when the package's file is missing.
aarch64_magic='\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
aarch64_mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
emulation_fix="run deploy/local/stack.sh up emulation as root on the Docker host (in a container: --privileged); any qemu-aarch64 registration with flags F and P will do"
emulation_checked=0

# True when the kernel runs aarch64 binaries through an enabled qemu-aarch64 handler with flags F and P.
aarch64_registered() {
  [ -f "$binfmt_dir/qemu-aarch64" ] && grep -qx enabled "$binfmt_dir/qemu-aarch64" \
    && grep -q '^flags: .*F' "$binfmt_dir/qemu-aarch64" && grep -q '^flags: .*P' "$binfmt_dir/qemu-aarch64"
}

# emulation_unavailable REASON: says why and how to fix it, records it for run.sh, and lets the caller go on.
emulation_unavailable() {
  warn "this host cannot emulate linux/arm64: $1; linux/arm64 images will fail with platform-unsupported. Fix: $emulation_fix"
  mkdir -p "$state"
  echo "unavailable: $1" >"$state/emulation"
}

emulation_up() {
  if ! aarch64_registered; then
    emulation_register || return 0
  else
    log "emulation: qemu-aarch64 already registered with flags F and P"
  fi
  emulation_check
}

# Registers qemu-aarch64 with flags F and P; on failure records why and returns 1.
emulation_register() {
  [ "$(id -u)" = 0 ] || { emulation_unavailable "qemu-aarch64 is not registered with flags F and P, and registering it needs root"; return 1; }
  [ -x "$qemu_aarch64" ] || { emulation_unavailable "$qemu_aarch64 is missing (apt-get install qemu-user-static)"; return 1; }
  if ! mountpoint -q "$binfmt_dir"; then
    mount -t binfmt_misc binfmt_misc "$binfmt_dir" 2>/dev/null \
      || { emulation_unavailable "binfmt_misc cannot be mounted at $binfmt_dir (no privilege, or a kernel without it)"; return 1; }
  fi
  if [ -f "$binfmt_dir/qemu-aarch64" ]; then
    log "emulation: qemu-aarch64 is registered without flags F and P (or disabled): replacing it"
    echo -1 >"$binfmt_dir/qemu-aarch64" 2>/dev/null \
      || { emulation_unavailable "the registered qemu-aarch64 handler cannot be removed"; return 1; }
  fi
  local magic=$aarch64_magic mask=$aarch64_mask line
  # The package's line: ":qemu-aarch64:M::<magic>:<mask>:<interpreter>:<flags>" (escaped; no ':' inside a field).
  if [ -f "$binfmt_conf" ] && line=$(grep -m1 '^:qemu-aarch64:M:' "$binfmt_conf"); then
    IFS=: read -r _ _ _ _ magic mask _ <<<"$line"
  fi
  printf ':qemu-aarch64:M::%s:%s:%s:FP' "$magic" "$mask" "$qemu_aarch64" >"$binfmt_dir/register" 2>/dev/null \
    || { emulation_unavailable "the kernel refused the qemu-aarch64 registration"; return 1; }
  log "emulation: registered qemu-aarch64 ($qemu_aarch64, flags F and P)"
}

# Proves that the running Docker engine builds linux/arm64 with a RUN step (BuildKit, as the builder does) in which
# busybox sh starts an applet (what flag P is for), and writes
# $state/emulation. Without a running engine it records the registration only; `up` checks again once dockerd runs.
emulation_check() {
  mkdir -p "$state"
  if ! docker_cli info >/dev/null 2>&1; then
    echo "linux/arm64 ok" >"$state/emulation"
    return
  fi
  emulation_checked=1
  if [ ! -x "$arm64_busybox" ]; then
    emulation_unavailable "$arm64_busybox is missing, so nothing arm64 can be built here"
    return
  fi
  local context tag=freshen-emulation-check:$$ log=$state/emulation.log
  context=$(mktemp -d)
  mkdir "$context/bin"
  cp "$arm64_busybox" "$context/bin/busybox"
  ln -s busybox "$context/bin/sh"
  ln -s busybox "$context/bin/cat"
  printf 'FROM scratch\nCOPY bin /bin\nRUN ["/bin/sh", "-c", "echo emulated > /ok && cat /ok"]\n' >"$context/Dockerfile"
  if DOCKER_BUILDKIT=1 docker_cli build --platform linux/arm64 --no-cache -t "$tag" "$context" >"$log" 2>&1; then
    docker_cli rmi "$tag" >/dev/null 2>&1 || true
    echo "linux/arm64 ok" >"$state/emulation"
    log "emulation: linux/arm64 builds with a RUN step (QEMU)"
  elif grep -qiE 'no emulator|exec format error' "$log"; then
    emulation_unavailable "the Docker engine started before qemu-aarch64 was registered and does not see it (log: $log). Restart the Docker daemon: deploy/local/stack.sh down docker; deploy/local/stack.sh up docker"
  else
    emulation_unavailable "a linux/arm64 build with a RUN step failed (log: $log)"
  fi
  rm -rf "$context"
}

emulation_down() { :; } # kernel state, shared with everything else on the machine: left alone

emulation_status() {
  local registered=no
  aarch64_registered && registered=yes
  echo "emulation $(cat "$state/emulation" 2>/dev/null || echo "not checked"); qemu-aarch64 with flags F and P: $registered"
}

# ---- docker ---------------------------------------------------------------------------------------------------
docker_up() {
  if docker_cli info >/dev/null 2>&1; then
    log "docker: engine already running"
    return
  fi
  mkdir -p "$state/docker"
  log "docker: starting dockerd (log: $state/docker/dockerd.log)"
  dockerd --pidfile "$state/docker/dockerd.pid" >"$state/docker/dockerd.log" 2>&1 &
  wait_for "dockerd" "$state/docker/dockerd.log" docker_cli info
  log "docker: ready"
}

docker_down() {
  if pid_alive "$state/docker/dockerd.pid"; then
    log "docker: stopping dockerd"
    kill "$(cat "$state/docker/dockerd.pid")"
    local deadline=$((SECONDS + 30))
    while pid_alive "$state/docker/dockerd.pid" && ((SECONDS < deadline)); do sleep 1; done
  fi
}

# Debian's docker CLI (/usr/bin/docker) has BuildKit built in; prefer it over any other docker on PATH.
docker_cli() { if [ -x /usr/bin/docker ]; then /usr/bin/docker "$@"; else docker "$@"; fi; }

docker_status() { docker_cli info >/dev/null 2>&1 && echo "docker    running" || echo "docker    stopped"; }

# ---- registry -------------------------------------------------------------------------------------------------
registry_up() {
  if curl -fsS "http://127.0.0.1:$registry_port/v2/" >/dev/null 2>&1; then
    log "registry: already answering on 127.0.0.1:$registry_port"
    return
  fi
  port_open "$registry_port" && die "port $registry_port is taken by something that is not a registry (set FRESHEN_REGISTRY_PORT)"
  mkdir -p "$state/registry/data"
  cat >"$state/registry/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $state/registry/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$registry_port
YAML
  log "registry: starting on 127.0.0.1:$registry_port (log: $state/registry/registry.log)"
  /usr/bin/docker-registry serve "$state/registry/config.yml" >"$state/registry/registry.log" 2>&1 &
  echo $! >"$state/registry/registry.pid"
  wait_for "registry" "$state/registry/registry.log" curl -fsS "http://127.0.0.1:$registry_port/v2/"
  log "registry: ready"
}

registry_down() { stop_pid registry "$state/registry/registry.pid"; }

registry_status() {
  curl -fsS "http://127.0.0.1:$registry_port/v2/" >/dev/null 2>&1 \
    && echo "registry  running  http://127.0.0.1:$registry_port" || echo "registry  stopped"
}

# ---- kafka ----------------------------------------------------------------------------------------------------
kafka_up() {
  if pid_alive "$state/kafka/kafka.pid" && port_open "$kafka_port"; then
    log "kafka: already running on 127.0.0.1:$kafka_port"
    return
  fi
  port_open "$kafka_port" && die "port $kafka_port is taken by another process (set FRESHEN_KAFKA_PORT)"
  local libs=$state/kafka/libs
  if [ ! -f "$libs/.complete" ]; then
    log "kafka: fetching the broker jars from Maven Central"
    rm -rf "$libs"
    "$repo/mvnw" -B -q -f "$here/kafka/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$libs" || die "could not fetch the Kafka jars"
    touch "$libs/.complete"
  fi
  mkdir -p "$state/kafka/data"
  cat >"$state/kafka/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$state/kafka/data
num.partitions=6
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  cat >"$state/kafka/log4j2.properties" <<'PROPS'
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.started.name = kafka.server.BrokerServer
logger.started.level = INFO
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
PROPS
  local java_cmd=(java -Xms256m -Xmx768m -cp "$libs/*")
  if [ ! -f "$state/kafka/data/meta.properties" ]; then
    "${java_cmd[@]}" kafka.tools.StorageTool format -t "$("${java_cmd[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null)" \
      -c "$state/kafka/server.properties" >"$state/kafka/format.log" 2>&1 \
      || { cat "$state/kafka/format.log" >&2; die "could not format the Kafka storage"; }
  fi
  log "kafka: starting KRaft broker on 127.0.0.1:$kafka_port (log: $state/kafka/kafka.log)"
  "${java_cmd[@]}" -Dlog4j2.configurationFile="$state/kafka/log4j2.properties" kafka.Kafka "$state/kafka/server.properties" \
    >"$state/kafka/kafka.log" 2>&1 &
  echo $! >"$state/kafka/kafka.pid"
  wait_for "kafka" "$state/kafka/kafka.log" grep -q "Transition from STARTING to STARTED" "$state/kafka/kafka.log"
  log "kafka: ready"
}

kafka_down() { stop_pid kafka "$state/kafka/kafka.pid"; }

kafka_status() {
  pid_alive "$state/kafka/kafka.pid" && port_open "$kafka_port" \
    && echo "kafka     running  127.0.0.1:$kafka_port" || echo "kafka     stopped"
}

stop_pid() {
  local name=$1 pidfile=$2
  if pid_alive "$pidfile"; then
    log "$name: stopping"
    kill "$(cat "$pidfile")"
    local deadline=$((SECONDS + 30))
    while pid_alive "$pidfile" && ((SECONDS < deadline)); do sleep 1; done
    pid_alive "$pidfile" && kill -9 "$(cat "$pidfile")"
  fi
  rm -f "$pidfile"
}

main() {
  local cmd=${1:-}
  shift || true
  local components=("$@")
  case $cmd in
    up)
      ((${#components[@]})) || components=(docker registry kafka)
      install_packages
      emulation_up # before dockerd starts: BuildKit looks for emulators once, when the daemon starts
      for c in "${components[@]}"; do [ "$c" = emulation ] || "${c}_up"; done
      ((emulation_checked)) || ! docker_cli info >/dev/null 2>&1 || [ "$(cat "$state/emulation")" != "linux/arm64 ok" ] \
        || emulation_check
      ;;
    down)
      ((${#components[@]})) || components=(kafka registry docker)
      for c in "${components[@]}"; do "${c}_down"; done
      ;;
    status)
      emulation_status; docker_status; registry_status; kafka_status
      ;;
    *)
      sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
      exit 2
      ;;
  esac
}

main "$@"
