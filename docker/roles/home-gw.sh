#!/bin/sh
# The home router: everything goes to the isp.
. /opt/mitmlab/roles/common.sh
ip route replace default via 172.30.2.3
