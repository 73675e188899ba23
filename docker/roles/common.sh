#!/bin/sh
# Sourced by every role: lab names resolve to their lab addresses (/lab/common/hosts, written by
# 'mitmlab up --docker'), the same way in Testcontainers and docker compose.
set -eu
grep -q '# mitmlab sites' /etc/hosts 2>/dev/null || { echo '# mitmlab sites'; cat /lab/common/hosts; } >>/etc/hosts
