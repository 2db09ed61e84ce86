#!/usr/bin/env bash
# Re-records src/fixtures/zookeeper-3.8.0-capture.json against a real ZooKeeper 3.8 (Debian: apt-get install zookeeper).
# Everything listens on 127.0.0.1 only; the server and the proxy are stopped by their own pids at the end.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../src/fixtures/zookeeper-3.8.0-capture.json}"
zk_port="${ZK_PORT:-21810}" proxy_port="${PROXY_PORT:-21811}"
work="$(mktemp -d)"
cp_jars=/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-nop.jar

cat > "$work/zoo.cfg" <<CFG
tickTime=2000
dataDir=$work/data
clientPort=$zk_port
clientPortAddress=127.0.0.1
admin.enableServer=false
extendedTypesEnabled=true
CFG
java -Dzookeeper.extendedTypesEnabled=true -cp "$cp_jars" org.apache.zookeeper.server.ZooKeeperServerMain "$work/zoo.cfg" >"$work/server.log" 2>&1 &
server_pid=$!
node "$here/recording-proxy.cjs" "$proxy_port" "$zk_port" "$work/capture.jsonl" &
proxy_pid=$!
trap 'kill "$proxy_pid" "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 1 50); do (echo >"/dev/tcp/127.0.0.1/$zk_port") 2>/dev/null && break; sleep 0.2; done
javac -d "$work" -cp "$cp_jars" "$here/Scenario.java"
timeout 60 java -cp "$cp_jars:$work" Scenario "$proxy_port"
timeout 30 node "$here/raw-scenarios.cjs" "$proxy_port"
sleep 0.5
node "$here/build-fixture.cjs" "$work/capture.jsonl" "$out"
