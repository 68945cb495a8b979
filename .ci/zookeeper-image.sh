#!/usr/bin/env bash
# Leaves a locally built ZooKeeper image ready for the end-to-end suite (Testcontainers).
#
# No image registry is reachable from these machines, so nothing is pulled:
#   1. installs Debian's docker.io and debootstrap if missing;
#   2. starts dockerd in the background if no daemon answers: no bridge, no iptables
#      (containers run with host networking only), log in $DOCKERD_LOG;
#   3. builds isolation/debian-base:bookworm from a debootstrapped Debian root (docker import);
#   4. builds isolation/zookeeper:3.8 from .ci/zookeeper/Dockerfile on that base, with
#      Debian's `zookeeper` package.
# Each step is skipped when its result is already there, so a second run takes seconds.
# Needs root. Prints one line per step; the last line is ZOOKEEPER_IMAGE=<name>.
#
# Use the image with host networking:
#   docker run -d --network host -e ZOO_PORT=2181 isolation/zookeeper:3.8
# It logs "zookeeper-foreground: ready on 127.0.0.1:2181" once it serves requests, and
#   (exec 3<>/dev/tcp/127.0.0.1/2181; printf ruok >&3; cat <&3)    # -> imok
set -euo pipefail

readonly BASE_IMAGE=isolation/debian-base:bookworm
readonly SUITE=bookworm
# Debian bookworm's zookeeper package is 3.8.0; the build checks that it still is 3.8.
readonly ZK_REPO=isolation/zookeeper
readonly ZK_SERIES=3.8
readonly ZK_IMAGE="$ZK_REPO:$ZK_SERIES"
readonly HASH_LABEL=io.github.isolation.ci.hash

readonly DOCKERD_LOG=${DOCKERD_LOG:-/tmp/isolation-dockerd.log}
readonly BUILD_LOG=${BUILD_LOG:-/tmp/isolation-zookeeper-image.log}
readonly DEBOOTSTRAP_CACHE=/var/cache/isolation-ci/debootstrap
readonly DOCKERD_WAIT_SECONDS=60

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly CONTEXT="$here/zookeeper"

start=$SECONDS
say() { printf '[zookeeper-image %3ds] %s\n' "$((SECONDS - start))" "$*"; }
die() {
  say "FAILED: $*" >&2
  exit 1
}

[[ $(id -u) -eq 0 ]] || die "run as root (apt-get, dockerd, debootstrap)"
[[ -f "$CONTEXT/Dockerfile" ]] || die "missing $CONTEXT/Dockerfile"

# One run at a time: two runs must not both start a dockerd or build the same image.
# (dockerd is started with fd 9 closed, or it would hold the lock for as long as it runs.)
exec 9> /tmp/isolation-zookeeper-image.lock
flock -w 900 9 || die "another run of $0 still holds /tmp/isolation-zookeeper-image.lock"

export DEBIAN_FRONTEND=noninteractive
# The legacy builder: the one built into Debian's dockerd, needing no buildx plugin.
export DOCKER_BUILDKIT=0

# --- 1. packages -----------------------------------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2> /dev/null | grep -q 'install ok installed'; }

missing=()
for pkg in docker.io debootstrap; do
  installed "$pkg" || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  say "packages: docker.io and debootstrap already installed"
else
  say "packages: installing ${missing[*]} ..."
  # Keep the package's init script from starting a default dockerd (bridge, iptables):
  # step 2 starts it with the settings this sandbox needs.
  own_policy=
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    > /tmp/isolation-apt.log 2>&1; then
    tail -n 20 /tmp/isolation-apt.log >&2
    [[ -z $own_policy ]] || rm -f /usr/sbin/policy-rc.d
    die "apt-get install ${missing[*]} (log: /tmp/isolation-apt.log)"
  fi
  [[ -z $own_policy ]] || rm -f /usr/sbin/policy-rc.d
  say "packages: installed ${missing[*]}"
fi

# --- 2. dockerd ------------------------------------------------------------------------------
docker_up() { docker info > /dev/null 2>&1; }

# overlay2 where the kernel has overlayfs and /var/lib/docker is not itself on one; else vfs.
pick_storage_driver() {
  local fs
  fs=$(stat -f -c %T /var/lib 2> /dev/null || echo unknown)
  if grep -qw overlay /proc/filesystems && [[ $fs != overlayfs ]]; then
    echo overlay2
  else
    echo vfs
  fi
}

# Starts dockerd detached (own session, no stdin) and waits until `docker info` answers.
# Returns 1 if it died or did not answer in time.
start_dockerd() {
  local driver=$1 pid i
  # No bridge and no iptables rules: containers get host networking (or none), so all
  # their traffic stays on this machine's own addresses, loopback in our tests.
  setsid dockerd \
    --storage-driver="$driver" \
    --bridge=none \
    --iptables=false \
    --ip6tables=false \
    --ip-forward=false \
    --ip-masq=false \
    --userland-proxy=false \
    < /dev/null >> "$DOCKERD_LOG" 2>&1 9>&- &
  pid=$!
  for ((i = 0; i < DOCKERD_WAIT_SECONDS * 2; i++)); do
    docker_up && return 0
    kill -0 "$pid" 2> /dev/null || return 1
    sleep 0.5
  done
  kill "$pid" 2> /dev/null || true
  return 1
}

if docker_up; then
  say "dockerd: already answering ($(docker info -f '{{.ServerVersion}}, storage {{.Driver}}'))"
else
  pidfile=/var/run/docker.pid
  if [[ -s $pidfile ]] && kill -0 "$(cat "$pidfile")" 2> /dev/null; then
    # A dockerd is running but not answering yet (still starting): wait for it.
    say "dockerd: pid $(cat "$pidfile") is starting, waiting up to ${DOCKERD_WAIT_SECONDS}s ..."
    for ((i = 0; i < DOCKERD_WAIT_SECONDS * 2; i++)); do
      docker_up && break
      sleep 0.5
    done
    docker_up || die "dockerd pid $(cat "$pidfile") does not answer; see its log"
  else
    driver=${ISOLATION_DOCKER_STORAGE_DRIVER:-$(pick_storage_driver)}
    say "dockerd: starting (storage $driver, no bridge, no iptables; log $DOCKERD_LOG) ..."
    : > "$DOCKERD_LOG"
    if ! start_dockerd "$driver"; then
      if [[ $driver != vfs && -z ${ISOLATION_DOCKER_STORAGE_DRIVER:-} ]]; then
        say "dockerd: did not come up with $driver, retrying with vfs ..."
        tail -n 5 "$DOCKERD_LOG" >&2
        sleep 1
        start_dockerd vfs || {
          tail -n 20 "$DOCKERD_LOG" >&2
          die "dockerd did not answer within ${DOCKERD_WAIT_SECONDS}s (log: $DOCKERD_LOG)"
        }
      else
        tail -n 20 "$DOCKERD_LOG" >&2
        die "dockerd did not answer within ${DOCKERD_WAIT_SECONDS}s (log: $DOCKERD_LOG)"
      fi
    fi
    say "dockerd: answering ($(docker info -f '{{.ServerVersion}}, storage {{.Driver}}'))"
  fi
fi

# --- 3. base image from a debootstrapped root --------------------------------------------------
image_exists() { docker image inspect "$1" > /dev/null 2>&1; }

# The Debian mirror apt uses here: the first URI serving $SUITE itself (not -security),
# from deb822 .sources files or one-line .list files.
debian_mirror() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    uri=$(awk -v suite="$SUITE" '
      function flush() {
        if (!found && types ~ /(^|[ \t])deb([ \t]|$)/ && suites ~ ("(^|[ \t])" suite "([ \t]|$)") && uris != "") {
          split(uris, u, /[ \t]+/); print u[1]; found = 1
        }
        types = ""; suites = ""; uris = ""
      }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]*#/ { next }
      tolower($1) == "types:"  { sub(/^[^:]*:[ \t]*/, ""); types = $0 }
      tolower($1) == "suites:" { sub(/^[^:]*:[ \t]*/, ""); suites = $0 }
      tolower($1) == "uris:"   { sub(/^[^:]*:[ \t]*/, ""); uris = $0 }
      END { flush() }' "$f")
    [[ -n $uri ]] && { echo "$uri"; return 0; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    # deb [options] URI SUITE COMPONENTS...
    uri=$(sed -e 's/\[[^]]*\]//' "$f" | awk -v suite="$SUITE" \
      '$1 == "deb" && $3 == suite { print $2; exit }')
    [[ -n $uri ]] && { echo "$uri"; return 0; }
  done
  return 1
}

# A scratch directory for the root: tmpfs when it has room (dpkg's fsyncs make debootstrap
# twice as slow on disk here), else /var/tmp.
scratch_parent() {
  local avail
  avail=$(df -Pk /dev/shm 2> /dev/null | awk 'NR == 2 { print $4 }')
  if [[ -d /dev/shm && -w /dev/shm && ${avail:-0} -gt $((1024 * 1024)) ]]; then
    echo /dev/shm
  else
    echo /var/tmp
  fi
}

rootfs=
cleanup_rootfs() {
  [[ -n $rootfs && -d $rootfs ]] || return 0
  # debootstrap mounts proc, sys (and may bind /dev) inside the target; if it failed half
  # way they may still be there: unmount them before deleting anything.
  findmnt -rn -o TARGET | awk -v r="$rootfs/" 'index($0, r) == 1' | sort -r |
    while read -r m; do umount -l "$m" 2> /dev/null || true; done
  rm -rf --one-file-system "$rootfs"
}
trap cleanup_rootfs EXIT

if image_exists "$BASE_IMAGE"; then
  say "base image: $BASE_IMAGE already there"
else
  mirror=$(debian_mirror) || die "no Debian mirror for $SUITE found in /etc/apt/sources.list{,.d}"
  rootfs=$(mktemp -d "$(scratch_parent)/isolation-rootfs.XXXXXX")
  mkdir -p "$DEBOOTSTRAP_CACHE"
  say "base image: debootstrap --variant=minbase $SUITE from $mirror (takes 1-3 min) ..."
  if ! debootstrap --variant=minbase --cache-dir="$DEBOOTSTRAP_CACHE" \
    "$SUITE" "$rootfs" "$mirror" > "$BUILD_LOG" 2>&1; then
    tail -n 20 "$BUILD_LOG" >&2
    die "debootstrap (log: $BUILD_LOG)"
  fi
  # Nothing of the bootstrap's downloads or package lists in the image.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/debootstrap
  say "base image: importing $(du -sh "$rootfs" | cut -f1) root as $BASE_IMAGE ..."
  tar --numeric-owner --one-file-system -C "$rootfs" -c . |
    docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["/bin/bash"]' \
      --message "debootstrap --variant=minbase $SUITE $mirror" \
      - "$BASE_IMAGE" > /dev/null
  cleanup_rootfs
  rootfs=
  say "base image: $BASE_IMAGE built"
fi

# --- 4. ZooKeeper image ---------------------------------------------------------------------
# The image is current when its label holds the hash of the build context and base image.
context_hash() {
  {
    (cd "$CONTEXT" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    docker image inspect -f '{{.Id}}' "$BASE_IMAGE"
  } | sha256sum | cut -c1-16
}

want=$(context_hash)
have=$(docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$ZK_IMAGE" 2> /dev/null || true)
if [[ $have == "$want" ]]; then
  say "zookeeper image: $ZK_IMAGE already up to date ($HASH_LABEL=$want)"
else
  if [[ -n $have ]]; then
    say "zookeeper image: .ci/zookeeper or the base changed, rebuilding $ZK_IMAGE (1-3 min) ..."
  else
    say "zookeeper image: building $ZK_IMAGE with Debian's zookeeper package (1-3 min) ..."
  fi
  # Host networking for apt-get inside the build: the daemon has no bridge.
  if ! docker build --network host --pull=false --force-rm \
    --build-arg "BASE=$BASE_IMAGE" \
    --label "$HASH_LABEL=$want" \
    -t "$ZK_IMAGE" "$CONTEXT" > "$BUILD_LOG" 2>&1; then
    tail -n 30 "$BUILD_LOG" >&2
    die "docker build (log: $BUILD_LOG)"
  fi
  version=$(docker run --rm --network none --entrypoint dpkg-query "$ZK_IMAGE" \
    -W -f '${Version}' zookeeper)
  upstream=${version%%-*}
  [[ $upstream == "$ZK_SERIES".* ]] ||
    die "Debian's zookeeper is $version now, not $ZK_SERIES: rename ZK_SERIES and the suite's image"
  docker tag "$ZK_IMAGE" "$ZK_REPO:$upstream"
  # Drop the images that earlier builds left untagged.
  docker image prune -f --filter "label=$HASH_LABEL" > /dev/null
  say "zookeeper image: $ZK_IMAGE built (Debian zookeeper $version, also tagged $ZK_REPO:$upstream)"
fi

say "done in $((SECONDS - start))s"
echo "ZOOKEEPER_IMAGE=$ZK_IMAGE"
