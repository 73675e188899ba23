#!/bin/sh
# The researchers' server abroad: on the internet network itself, so it never crosses the isp.
# It runs the vantage service (GET /vantage?host=NAME on port 80) that 'mitmlab detect' in the
# client compares with; the route back to the home and access networks is for those answers.
. /opt/mitmlab/roles/common.sh
cp /lab/state/trust.pem /etc/ssl/certs/ca-certificates.crt
ip route replace 172.30.0.0/22 via 172.30.4.2
nohup mitmlab vantage --bind 0.0.0.0 --port 80 --hosts /lab/common/hosts --events /lab/state/events.jsonl \
  >/var/log/mitmlab-vantage.log 2>&1 &
# return once it listens (bounded), so the lab is ready for detect when 'up --docker' returns
i=0
while [ $i -lt 300 ] && ! ss -ltn | grep -q ':80 '; do sleep 0.1; i=$((i + 1)); done
