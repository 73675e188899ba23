#!/bin/sh
# The exchange point between the isp and the internet. It runs the interception box (box.sh) when
# the box was staged here (a scenario with 'interception: box: ix', or the locate exercise's pick).
. /opt/mitmlab/roles/common.sh
ip route replace 172.30.1.0/24 via 172.30.3.2
ip route replace 172.30.2.0/24 via 172.30.3.2
[ ! -f /lab/state/national-root.key ] || /opt/mitmlab/roles/box.sh
