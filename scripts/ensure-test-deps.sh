#!/usr/bin/env bash
# Installs the Debian packages the test suite runs against, when they are missing:
# Apache ZooKeeper 3.8 (server + zkCli.sh) and zookeeper-bin (the C client cli_mt) for the differential tests,
# Chromium for the SDK's browser test (libs/sdk/src/browser.spec.ts, driven by playwright-core) and the dashboard's,
# docker-compose to validate docker-compose.yml (`docker-compose config`; no Docker engine is needed for that),
# and faketime for the clock-skew fault test.
set -euo pipefail
need=()
[ -f /usr/share/zookeeper/bin/zkServer.sh ] || need+=(zookeeper)
[ -x /usr/lib/zookeeper/bin/cli_mt ] || need+=(zookeeper-bin)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
# libfaketime skews one member's wall clock in e2e/src/faults/clock-skew.spec.ts.
command -v faketime >/dev/null 2>&1 || need+=(faketime libfaketime)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "installing Debian packages for the tests: ${need[*]}"
if [ "$(id -u)" != 0 ]; then
  echo "not root: run 'sudo apt-get install -y ${need[*]}' first" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
