#!/usr/bin/env bash
# Builds what the demo needs and runs it: an embedded ZooKeeper, the example services in their
# groups, and the routes that requests take through them.
#
#   examples/demo.sh            the table, then keeps running with curl lines to try (Ctrl-C stops it)
#   examples/demo.sh --once     the table only; exit code 0 when every route is as expected
#   examples/demo.sh --port 8080  the web instance on a port of your choice
#
# DEMO_JAVA_OPTS replaces the JVM options below; DEMO_SKIP_BUILD=true runs the jar already built.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/examples/target/isolation-examples.jar"

if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
	echo "demo: no java found; install a JDK 17 or later, or set JAVA_HOME" >&2
	exit 3
fi
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [ "${DEMO_SKIP_BUILD:-false}" != "true" ]; then
	echo "Building the demo with Maven (the first time downloads the dependencies and takes a few minutes)..."
	# package, not install: the reactor hands the sibling modules' jars to the examples directly,
	# and isolation-zk-registry's package phase builds the command-line tool's jar as well.
	if ! (cd "$root" && ./mvnw -q -B -DskipTests package -pl examples -am); then
		echo "demo: the build failed; run './mvnw -B -DskipTests package -pl examples -am' to see why" >&2
		exit 3
	fi
fi
if [ ! -f "$jar" ]; then
	echo "demo: $jar is missing; build it with './mvnw -B -DskipTests package -pl examples -am'" >&2
	exit 3
fi

# Seven small applications in one JVM: the C1 compiler alone starts them about twice as fast,
# and 512 MB of heap leaves the garbage collector little to do while they start.
cd "$root"
# shellcheck disable=SC2086 # the options are words to split
exec "$java_cmd" ${DEMO_JAVA_OPTS:--XX:TieredStopAtLevel=1 -Xmx512m} -jar "$jar" demo "$@"
