#!/bin/sh
# The exchange point between the isp and the internet.
. /opt/mitmlab/roles/common.sh
ip route replace 172.30.1.0/24 via 172.30.3.2
ip route replace 172.30.2.0/24 via 172.30.3.2
