#!/bin/sh
# The researchers' server abroad: on the internet network itself, so it never crosses the isp.
. /opt/mitmlab/roles/common.sh
cp /lab/state/trust.pem /etc/ssl/certs/ca-certificates.crt
