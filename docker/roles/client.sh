#!/bin/sh
# The student's machine: behind home-gw, no proxy settings. Its system trust store is the lab's
# public roots, plus the national root unless the scenario is "refusal".
. /opt/mitmlab/roles/common.sh
ip route replace default via 172.30.1.2
cp /lab/state/trust.pem /etc/ssl/certs/ca-certificates.crt
