#!/usr/bin/env bash
# Starts a Docker engine from Debian packages when none is running (CI machines have no systemd),
# and lets containers route between the lab's internal networks. Idempotent; run as root.
set -euo pipefail
need=""
for p in docker.io iptables; do dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"; done
if [ -n "$need" ]; then
  echo "docker: installing$need"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need; } \
    >/tmp/mitmlab-apt-docker.log 2>&1 || { tail -30 /tmp/mitmlab-apt-docker.log; exit 1; }
fi
if ! docker info >/dev/null 2>&1; then
  D=/tmp/dockerd; mkdir -p "$D"
  echo "docker: starting dockerd (log: $D/log)"
  nohup dockerd --data-root "$D/data" --exec-root "$D/exec" >>"$D/log" 2>&1 &
  echo $! >"$D/pid"
  for _ in $(seq 300); do docker info >/dev/null 2>&1 && break; sleep 0.1; done
  docker info >/dev/null 2>&1 || { tail -20 "$D/log"; exit 1; }
fi
# Docker isolates --internal networks from each other; the lab routes between them through its
# router containers, so bridged frames must be accepted (the networks stay cut off from the host's uplink).
iptables -C DOCKER-USER -m physdev --physdev-is-bridged -j ACCEPT 2>/dev/null ||
  iptables -I DOCKER-USER -m physdev --physdev-is-bridged -j ACCEPT
echo "docker: engine ready ($(docker version --format '{{.Server.Version}}'))"
