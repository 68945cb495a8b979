#!/usr/bin/env bash
# Builds what the demo needs and runs it: an embedded ZooKeeper and Kafka broker, the example
# services in their groups, and the routes that requests and their records take through them.
#
#   examples/demo.sh            the table, then keeps running with curl lines to try (Ctrl-C stops it)
#   examples/demo.sh --once     the table only; exit code 0 when every route is as expected
#   examples/demo.sh --port 8080  the web instance on a port of your choice
#
# Without --once the console (isolation-console) starts beside the demo, on CONSOLE_PORT
# (default 8090), and the demo prints its URL and the demo logins.
#
# DEMO_JAVA_OPTS replaces the JVM options below; DEMO_SKIP_BUILD=true runs the jar already built.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/examples/target/isolation-examples.jar"
console_jar="$root/isolation-console/target/isolation-console.jar"
console_port="${CONSOLE_PORT:-8090}"
once=false
for arg in "$@"; do
	if [ "$arg" = "--once" ]; then
		once=true
	fi
done
modules=examples
if [ "$once" != "true" ]; then
	modules=examples,isolation-console
fi

if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
	echo "demo: no java found; install a JDK 17 or later, or set JAVA_HOME" >&2
	exit 3
fi
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [ "${DEMO_SKIP_BUILD:-false}" != "true" ]; then
	echo "Building the demo with Maven (the first time downloads the dependencies and takes a few minutes)..."
	# package, not install: the reactor hands the sibling modules' jars to the examples directly,
	# and isolation-zk-registry's package phase builds the command-line tool's jar as well.
	if ! (cd "$root" && ./mvnw -q -B -DskipTests package -pl "$modules" -am); then
		echo "demo: the build failed; run './mvnw -B -DskipTests package -pl $modules -am' to see why" >&2
		exit 3
	fi
fi
if [ ! -f "$jar" ]; then
	echo "demo: $jar is missing; build it with './mvnw -B -DskipTests package -pl examples -am'" >&2
	exit 3
fi

# Nine small applications, ZooKeeper and a Kafka broker in one JVM: the C1 compiler alone starts
# them about twice as fast, and 512 MB of heap leaves the garbage collector little to do meanwhile.
cd "$root"
if [ "$once" = "true" ] || [ ! -f "$console_jar" ]; then
	if [ "$once" != "true" ]; then
		echo "demo: $console_jar is missing, so the console does not start; build it with './mvnw -B -DskipTests package -pl isolation-console -am'" >&2
	fi
	# shellcheck disable=SC2086 # the options are words to split
	exec "$java_cmd" ${DEMO_JAVA_OPTS:--XX:TieredStopAtLevel=1 -Xmx512m} -jar "$jar" demo "$@"
fi

# The demo's output passes through here, so that the console starts as soon as the demo's
# ZooKeeper is up, and its address is printed once the demo runs.
console_pid=""
console_log="$root/isolation-console/target/console-demo.log"
stop_console() {
	if [ -n "$console_pid" ]; then
		kill "$console_pid" 2> /dev/null || true
		wait "$console_pid" 2> /dev/null || true
	fi
}
trap stop_console EXIT
# shellcheck disable=SC2086 # the options are words to split
coproc DEMO { exec "$java_cmd" ${DEMO_JAVA_OPTS:--XX:TieredStopAtLevel=1 -Xmx512m} -jar "$jar" demo "$@" 2>&1; }
# Jobs started from a script ignore Ctrl-C, so the script passes it on; the demo then closes
# its instances and ZooKeeper, its output ends, and the EXIT trap stops the console.
trap 'kill "$DEMO_PID" 2> /dev/null || true' INT TERM
while IFS= read -r line <&"${DEMO[0]}"; do
	if [[ $line == "The demo keeps running"* ]]; then
		echo "The console: http://127.0.0.1:$console_port/  (log in as operator / operator to change bindings, or viewer / viewer)"
		echo "  its log: $console_log"
		echo
	fi
	printf '%s\n' "$line"
	if [ -z "$console_pid" ] && [[ $line =~ ZooKeeper\ \(embedded\)[[:space:]]+([^[:space:]]+) ]]; then
		"$java_cmd" -XX:TieredStopAtLevel=1 -Xmx256m -jar "$console_jar" \
			--isolation.zookeeper.connect-string="${BASH_REMATCH[1]}" --server.address=127.0.0.1 --server.port="$console_port" \
			'--isolation.console.users.operator.password={noop}operator' --isolation.console.users.operator.role=operator \
			'--isolation.console.users.viewer.password={noop}viewer' --isolation.console.users.viewer.role=viewer \
			> "$console_log" 2>&1 &
		console_pid=$!
	fi
done
