#!/usr/bin/env bash
# Builds the lab's JRE base image offline from Debian packages (no container registry needed):
# debootstrap a minimal Debian, add a JRE and the network tools the lab's containers use, import
# it as $IMAGE. Skips the work when the image exists. Takes 1-2 minutes. Run as root.
#   IMAGE=mitmlab/base:1 docker/build-base-image.sh
# Online users can skip this and build the lab image on a public JRE image instead (see docker/README.md).
set -euo pipefail
IMAGE=${IMAGE:-mitmlab/base:1}
SUITE=${SUITE:-bookworm}
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base image: $IMAGE already built"; exit 0
fi
dpkg -s debootstrap >/dev/null 2>&1 || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null; }
M=${MIRROR:-$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
M=${M:-http://deb.debian.org/debian}
R=$(mktemp -d /tmp/mitmlab-rootfs.XXXXXX); chmod 755 "$R"; L=$R.log
cleanup() { umount "$R/proc" "$R/dev" "$R/sys" 2>/dev/null || true; }
trap cleanup EXIT
echo "base image: [1/4] debootstrap $SUITE from $M (log: $L)"
debootstrap --variant=minbase "$SUITE" "$R" "$M" >"$L" 2>&1 || { tail -30 "$L"; exit 1; }
printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s-security %s-security main\n' "$M" "$SUITE" "$M" "$SUITE" "$M" "$SUITE" >"$R/etc/apt/sources.list"
printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"; chmod +x "$R/usr/sbin/policy-rc.d"
echo 'APT::Install-Recommends "false";' >"$R/etc/apt/apt.conf.d/01norecommends"
printf 'path-exclude /usr/share/%s/*\n' doc man locale info >"$R/etc/dpkg/dpkg.cfg.d/01nodoc"
mkdir -p "$R/usr/share/man/man1"   # openjdk's postinst needs it
mount -t proc proc "$R/proc"; mount --bind /dev "$R/dev"; mount -t sysfs sys "$R/sys"
echo "base image: [2/4] installing the JRE and network tools"
{ chroot "$R" apt-get update -q && DEBIAN_FRONTEND=noninteractive chroot "$R" apt-get install -y -q \
    openjdk-17-jre-headless iptables iproute2 curl ca-certificates openssl dnsutils iputils-ping \
    netcat-openbsd procps traceroute tcpdump; } >>"$L" 2>&1 || { tail -30 "$L"; exit 1; }
cleanup; trap - EXIT
echo "base image: [3/4] trimming"
chroot "$R" apt-get clean
rm -rf "$R"/var/lib/apt/lists/* "$R"/var/log/* "$R"/tmp/* "$R"/usr/share/{doc,man,info,locale}/* "$R/usr/sbin/policy-rc.d"
echo "base image: [4/4] importing as $IMAGE"
tar -C "$R" -c . | docker import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' -c 'CMD ["/bin/bash"]' - "$IMAGE" >/dev/null
rm -rf "$R" "$L"
echo "base image: $IMAGE ready"
