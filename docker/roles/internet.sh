#!/bin/sh
# The simulated Internet: every lab site on its own address, one server choosing by SNI.
. /opt/mitmlab/roles/common.sh
ip route replace 172.30.0.0/22 via 172.30.4.2
awk '$1 ~ /^172\.30\.4\./ {print $1}' /lab/common/hosts | sort -u | while read -r addr; do
  ip addr add "$addr/24" dev eth0 2>/dev/null || true
done
nohup mitmlab internet --state-dir /lab/state --bind 0.0.0.0 --https-port 443 --http-port 80 \
  >/var/log/mitmlab-internet.log 2>&1 &
