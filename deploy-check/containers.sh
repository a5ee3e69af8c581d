#!/usr/bin/env bash
# deploy-check/containers.sh — builds the project's container images for real and starts the stack on them:
#
#   1. base images made here, no registry needed: a minimal Debian (debootstrap, from the mirror this machine's apt
#      uses) with this machine's JDK and Maven (the build stage) or a jlinked runtime of that JDK (the runtime stage);
#      made once, reused while they exist;
#   2. docker/Dockerfile built on them (targets ingest, trainer, generator: its MAVEN_IMAGE and JRE_IMAGE arguments);
#   3. broker, ingest, trainer and generator containers on a user network, each waited on until its healthcheck says
#      healthy; the bundled Fashion-MNIST sample fed in; a PNG fetched from the generator once a model is live.
#
# Usage: deploy-check/containers.sh [--keep]     (--keep leaves the containers running; the next run removes them)
# Environment: GAN_LOG_FORMAT (text or json, for the services), GAN_QUALITY_GATE (the trainer's; default off here: measuring each export first trains the
#   evaluator's classifier, minutes on a small machine), GAN_DOCKER (docker CLI, default docker), GAN_DEBIAN_MIRROR (default: read from /etc/apt/sources*),
#   GAN_BASE_TAG (default bookworm-jdk<major>), GAN_REBUILD_BASE=1 (make the base images again).
# Needs: a running Docker daemon with BuildKit, and root (debootstrap) the first time. docs/operations.md,
# "Containers built here", says what a run did.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCKER="${GAN_DOCKER:-docker}"
PREFIX=gan-dc                       # containers, network and image names of this script
NETWORK="$PREFIX-net"
LABEL=dev.ganpipe.deploy-check=containers
KEEP=false
[ "${1:-}" = "--keep" ] && KEEP=true

die() { echo "containers.sh: $*" >&2; exit 1; }
say() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
SECONDS=0
elapsed() { echo "${SECONDS}s"; }

# --- the machine ---------------------------------------------------------------------------------------------------
"$DOCKER" info >/dev/null 2>&1 || die "cannot reach a Docker daemon through '$DOCKER'. Start one (e.g. 'dockerd > /var/log/dockerd.log 2>&1 &' as root) or point GAN_DOCKER at a docker CLI that reaches one."

# BuildKit builds: through the buildx plugin when the CLI has it; a CLI older than 23 has BuildKit built in.
if "$DOCKER" buildx version >/dev/null 2>&1; then
  build() { "$DOCKER" buildx build --load "$@"; }
else
  cli_major="$("$DOCKER" version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)"
  [ -n "$cli_major" ] && [ "$cli_major" -lt 23 ] \
    || die "the docker CLI '$DOCKER' (version $cli_major) builds with BuildKit only through the buildx plugin, which it lacks. Install buildx, or set GAN_DOCKER to a CLI with BuildKit built in (Debian's docker.io 20.10 installs /usr/bin/docker)."
  build() { DOCKER_BUILDKIT=1 "$DOCKER" build "$@"; }
fi

# The JDK the images get: the one ./gan would use (JAVA_HOME, else the newest under /usr/lib/jvm).
find_jdk() {
  local c
  for c in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    c="${c%/}"
    [ -n "$c" ] && [ -x "$c/bin/jlink" ] && [ -x "$c/bin/javac" ] && { echo "$c"; return 0; }
  done
  return 1
}
JDK="$(find_jdk)" || die "no JDK with jlink found; set JAVA_HOME to a JDK 21 or newer."
JDK_MAJOR="$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[ "${JDK_MAJOR%%.*}" -ge 21 ] || die "the JDK at $JDK is $JDK_MAJOR; the project needs 21 or newer: set JAVA_HOME to one."
BASE_TAG="${GAN_BASE_TAG:-bookworm-jdk$JDK_MAJOR}"
BUILD_BASE="$PREFIX-base/build:$BASE_TAG"
RUNTIME_BASE="$PREFIX-base/runtime:$BASE_TAG"

# The Debian mirror: the first bookworm 'main' source of this machine's apt configuration (one-line or deb822).
debian_mirror() {
  [ -n "${GAN_DEBIAN_MIRROR:-}" ] && { echo "$GAN_DEBIAN_MIRROR"; return 0; }
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" && $3 == "bookworm" { for (i = 4; i <= NF; i++) if ($i == "main") { print $2; exit } }' "$f" \
      | sed 's/\[.*\] *//' | grep -m1 . && return 0
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN { RS = ""; FS = "\n" }
         { uri = ""; ok = 0
           for (i = 1; i <= NF; i++) {
             if ($i ~ /^URIs:/) { split($i, a, " "); uri = a[2] }
             if ($i ~ /^Suites:/ && $i ~ /[ ]bookworm([ ]|$)/) ok = 1 }
           if (ok && uri != "") { print uri; exit } }' "$f" | grep -m1 . && return 0
  done
  return 1
}

# The Maven the build image gets: the pinned one ./gan uses ('mvn -v' names its home).
maven_home() {
  "$ROOT/gan" mvn -v 2>/dev/null | sed -n 's/^Maven home: //p' | head -1
}

# --- 1. base images ------------------------------------------------------------------------------------------------
DEBIAN_BASE="$PREFIX-base/debian:bookworm"
image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

make_debian_base() {
  local work mirror
  mirror="$(debian_mirror)" || die "found no Debian bookworm source in /etc/apt/sources.list*; set GAN_DEBIAN_MIRROR to a Debian mirror URL."
  command -v debootstrap >/dev/null || die "debootstrap is missing: 'apt-get install debootstrap', then run again."
  [ "$(id -u)" = 0 ] || die "debootstrap needs root the first time (the base images are reused afterwards)."
  work="$(mktemp -d /tmp/gan-dc-debian.XXXXXX)"
  say "debootstrap: a minimal bookworm with curl and CA certificates ($(elapsed))"
  debootstrap --variant=minbase --include=ca-certificates,curl bookworm "$work/rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above; the folder $work is left for a look)."; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | "$DOCKER" import --change 'ENV LANG=C.UTF-8' - "$DEBIAN_BASE" >/dev/null
  rm -rf "$work"
}

# import_with_java IMAGE PATH_EXTRA FILL: the Debian base plus what FILL (a function given the root folder) adds.
import_with_java() {
  local image="$1" path_extra="$2" fill="$3" work cid
  work="$(mktemp -d /tmp/gan-dc-base.XXXXXX)"
  cid="$("$DOCKER" create "$DEBIAN_BASE" true)"
  mkdir "$work/rootfs"
  "$DOCKER" export "$cid" | tar -C "$work/rootfs" -x
  "$DOCKER" rm "$cid" >/dev/null
  mkdir -p "$work/rootfs/opt/java"
  "$fill" "$work/rootfs"
  # A distribution's JDK may link its trust store to the system's (/etc/ssl/certs/java): the image gets the file.
  rm -f "$work/rootfs/opt/java/openjdk/lib/security/cacerts"
  cp -L "$JDK/lib/security/cacerts" "$work/rootfs/opt/java/openjdk/lib/security/cacerts"
  tar -C "$work/rootfs" -c . | "$DOCKER" import --change 'ENV LANG=C.UTF-8' --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change "ENV PATH=/opt/java/openjdk/bin${path_extra}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    - "$image" >/dev/null
  rm -rf "$work"
}

# The runtime: a jlink image of the JDK, every module but the linker's own (a JDK without jmods, as JDK 24+ builds
# may be, cannot link jdk.jlink), without debug symbols, man pages and headers.
fill_runtime() {
  local modules
  modules="$("$JDK/bin/java" --list-modules | sed 's/@.*//' | grep -vxE 'jdk\.jlink|jdk\.jpackage' | paste -sd, -)"
  "$JDK/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --output "$1/opt/java/openjdk"
}
# The build stage: the whole JDK and the pinned Maven.
fill_build() {
  cp -a "$JDK/." "$1/opt/java/openjdk"
  cp -a "$MVN_HOME/." "$1/opt/maven"
}

rebuild="${GAN_REBUILD_BASE:-0}"
if [ "$rebuild" = 1 ] || ! image_exists "$DEBIAN_BASE"; then make_debian_base; rebuild=1; fi
if [ "$rebuild" = 1 ] || ! image_exists "$RUNTIME_BASE"; then
  say "runtime base $RUNTIME_BASE: jlink of $JDK ($(elapsed))"
  import_with_java "$RUNTIME_BASE" "" fill_runtime
fi
if [ "$rebuild" = 1 ] || ! image_exists "$BUILD_BASE"; then
  MVN_HOME="$(maven_home)"
  [ -n "$MVN_HOME" ] && [ -x "$MVN_HOME/bin/mvn" ] || die "could not find the pinned Maven through './gan mvn -v'; run './gan build' once, then again."
  say "build base $BUILD_BASE: $JDK and $(basename "$MVN_HOME") ($(elapsed))"
  import_with_java "$BUILD_BASE" ":/opt/maven/bin" fill_build
fi
say "base images ready ($(elapsed)); GAN_REBUILD_BASE=1 makes them again"
[ "${GAN_BASE_ONLY:-0}" = 1 ] && exit 0

# --- 2. the project's images ---------------------------------------------------------------------------------------
for target in ingest trainer generator; do
  say "docker build --target $target ($(elapsed))"
  # --network host: the build stage downloads the Maven dependencies (into a BuildKit cache mount, once) and the
  # runtime stage runs apt-get.
  build --network host -f "$ROOT/docker/Dockerfile" --target "$target" \
    --build-arg MAVEN_IMAGE="$BUILD_BASE" --build-arg JRE_IMAGE="$RUNTIME_BASE" \
    --label "$LABEL" -t "$PREFIX/$target:latest" "$ROOT"
done
# A rebuild leaves the previous images untagged: remove those of this script.
"$DOCKER" image prune -f --filter "label=$LABEL" >/dev/null
say "images built ($(elapsed))"
"$DOCKER" image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep "^$PREFIX" >&2

# --- 3. the stack --------------------------------------------------------------------------------------------------
remove_stack() {
  local ids
  ids="$("$DOCKER" ps -aq --filter "label=$LABEL")"
  [ -n "$ids" ] && "$DOCKER" rm -f $ids >/dev/null
  "$DOCKER" network rm "$NETWORK" >/dev/null 2>&1 || true
}
on_exit() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    for c in broker ingest trainer generator; do
      "$DOCKER" inspect "$PREFIX-$c" >/dev/null 2>&1 || continue
      echo "--- last log lines of $PREFIX-$c:" >&2
      "$DOCKER" logs --tail 30 "$PREFIX-$c" 2>&1 | sed 's/^/    /' >&2
    done
  fi
  if $KEEP; then say "--keep: the containers keep running; the next run removes them"; else remove_stack; fi
  exit "$rc"
}
remove_stack                        # what an earlier run (--keep, or killed) left
trap on_exit EXIT
"$DOCKER" network create --label "$LABEL" "$NETWORK" >/dev/null

run() { # run NAME IMAGE [docker run options...] -- [command...]
  local name="$1" image="$2"; shift 2
  local opts=()
  while [ "$#" -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
  [ "${1:-}" = -- ] && shift
  "$DOCKER" run -d --name "$PREFIX-$name" --hostname "$name" --network "$NETWORK" --network-alias "$name" \
    --label "$LABEL" -e GAN_LOG_FORMAT="${GAN_LOG_FORMAT:-text}" "${opts[@]}" "$image" "$@" >/dev/null
}

wait_healthy() { # wait_healthy NAME TIMEOUT_SECONDS
  local name="$PREFIX-$1" deadline=$((SECONDS + $2)) state
  while :; do
    state="$("$DOCKER" inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$name")"
    case "$state" in
      */healthy) say "$1 healthy ($(elapsed))"; return 0 ;;
      exited/* | dead/* | */unhealthy) die "$1 is $state." ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || die "$1 not healthy after $2 s (state $state)."
    sleep 2
  done
}

# Broker: the project image has Kafka's broker on its class path (embedded-kafka), so it runs kafka.Kafka itself
# with the settings of docker-compose.yml's kafka service, advertising the network name 'broker'.
BROKER_CONFIG='process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://:9092,CONTROLLER://localhost:9093
advertised.listeners=PLAINTEXT://broker:9092
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=/data/kafka
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false'
CP=/app/gan-launcher.jar:/app/lib/*
say "starting broker ($(elapsed))"
run broker "$PREFIX/ingest:latest" --entrypoint bash -e BROKER_CONFIG="$BROKER_CONFIG" \
  --health-cmd 'bash -c "exec 3<>/dev/tcp/localhost/9092"' --health-interval 2s --health-retries 60 -- \
  -euc "printf '%s\n' \"\$BROKER_CONFIG\" > /tmp/server.properties
        java -cp '$CP' kafka.tools.StorageTool format --ignore-formatted --cluster-id MkU3OEVBNTcwNTJENDM2Qg --config /tmp/server.properties
        exec java -Xmx512m -cp '$CP' kafka.Kafka /tmp/server.properties"
wait_healthy broker 120

# Ingest creates the pipeline's topics at start (--create-topics, on by default), so it goes first; its healthcheck is
# /readyz: the Streams normaliser is RUNNING.
http_check() { echo "curl -fsS -o /dev/null http://localhost:$1$2"; }
say "starting ingest ($(elapsed))"
run ingest "$PREFIX/ingest:latest" -e GAN_BOOTSTRAP_SERVERS=broker:9092 \
  --health-cmd "$(http_check 8081 /readyz)" --health-interval 3s --health-retries 60
wait_healthy ingest 240

say "starting trainer and generator ($(elapsed))"
run trainer "$PREFIX/trainer:latest" -e GAN_BOOTSTRAP_SERVERS=broker:9092 \
  -e GAN_MODELS_DIR=/data/models -e GAN_SAMPLES_DIR=/data/samples -e GAN_CHECKPOINT_DIR=/data/checkpoints \
  -e GAN_QUALITY_GATE="${GAN_QUALITY_GATE:-off}" \
  --health-cmd "$(http_check 8082 /healthz)" --health-interval 3s --health-retries 60
run generator "$PREFIX/generator:latest" -e GAN_BOOTSTRAP_SERVERS=broker:9092 \
  -e GAN_MODELS_DIR=/data/models -e GAN_ALLOW_UNSIGNED_MODELS=true -p 127.0.0.1::8080 \
  --health-cmd "$(http_check 8080 /healthz)" --health-interval 3s --health-retries 60
wait_healthy trainer 240
wait_healthy generator 240

# Data: the bundled 500-image Fashion-MNIST sample, published by a one-off container of the ingest image.
say "feeding the bundled Fashion-MNIST sample ($(elapsed))"
"$DOCKER" run --rm --name "$PREFIX-feed" --network "$NETWORK" --label "$LABEL" -e GAN_BOOTSTRAP_SERVERS=broker:9092 \
  "$PREFIX/ingest:latest" ingest sample:fashion-mnist --progress lines >&2

# A PNG, once the trainer's first export is live in the generator (/readyz turns 200).
GENERATOR="http://$("$DOCKER" port "$PREFIX-generator" 8080/tcp | head -1)"
say "waiting for a live model at $GENERATOR/readyz ($(elapsed))"
deadline=$((SECONDS + ${GAN_MODEL_TIMEOUT:-600}))
until curl -fs -o /dev/null "$GENERATOR/readyz"; do    # 503 until then
  [ "$SECONDS" -lt "$deadline" ] || die "no model went live in the generator within ${GAN_MODEL_TIMEOUT:-600} s."
  sleep 5
done
say "model live ($(elapsed)); trainer status: $("$DOCKER" exec "$PREFIX-trainer" curl -fsS http://localhost:8082/v1/status | head -c 400)"
out="${GAN_PNG_OUT:-/tmp/gan-dc-grid.png}"
curl -fsS -o "$out" "$GENERATOR/v1/generate?count=16&seed=1&format=grid"
[ "$(head -c 8 "$out" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || die "$out is not a PNG."
say "PNG fetched: $out, $(stat -c %s "$out") bytes ($(elapsed))"
