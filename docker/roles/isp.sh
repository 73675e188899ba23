#!/bin/sh
# The isp's router: the home network behind home-gw, everything else towards the ix. It also runs
# the interception box (box.sh) when the box was staged here, which is the default.
. /opt/mitmlab/roles/common.sh
ip route replace 172.30.1.0/24 via 172.30.2.2
ip route replace default via 172.30.3.3
[ ! -f /lab/state/national-root.key ] || /opt/mitmlab/roles/box.sh
