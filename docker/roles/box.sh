#!/bin/sh
# The interception box, started by the router that hosts it (isp.sh or ix.sh: the one whose
# /lab/state holds the national key; 'mitmlab up --docker' stages the box for the router its
# scenario names). Connections from the home network to the ADDRESSES of targeted sites, TCP 443,
# are redirected to the mitmlab proxy (TLS straight in, routed by SNI); every other packet is routed
# untouched, so a probe to a control site is answered at its real distance. The proxy plays the
# staged scenario (timeline, forgery). An empty targets.txt (baseline) adds no rule and the proxy
# intercepts nothing. (The 2019 box looked at every connection and took over those with a targeted
# SNI; see docs/docker-lab.md.)
. /opt/mitmlab/roles/common.sh
while read -r name; do
  [ -n "$name" ] || continue
  addr=$(awk -v n="$name" '$2 == n {print $1; exit}' /lab/common/hosts)
  [ -n "$addr" ] || { echo "box: no address for $name" >&2; exit 1; }
  iptables -t nat -A PREROUTING -s 172.30.1.0/24 -d "$addr" -p tcp --dport 443 -j REDIRECT --to-ports 8443
done </lab/state/targets.txt
# the scenario's timeline and forgery; the hold phase, the student id and the day length when staged
set --
[ ! -f /lab/state/scenario.yaml ] || set -- "$@" --scenario /lab/state/scenario.yaml
[ ! -f /lab/state/phase ] || set -- "$@" --phase "$(cat /lab/state/phase)"
[ ! -f /lab/state/student ] || set -- "$@" --student "$(cat /lab/state/student)"
[ ! -f /lab/state/day ] || set -- "$@" --day "$(cat /lab/state/day)"
mkdir -p /lab/events
nohup mitmlab proxy --state-dir /lab/state --targets /lab/state/targets.txt \
  --upstream-trust /lab/state/public-roots.pem --bind 0.0.0.0 --port 8443 \
  --events /lab/events/events.jsonl "$@" >/lab/events/proxy.log 2>&1 &
