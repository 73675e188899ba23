/**
 * The Docker lab: the same interceptor, origin code and PKI as the embedded lab, in a classroom
 * topology built with Testcontainers.
 *
 * <pre>
 *  client ── home ── home-gw ── access ── isp ── backbone ── ix ── internet-net ── internet (one address per site)
 *  172.30.1.10      .1.2 / .2.2         .2.3 / .3.2        .3.3 / .4.2            172.30.4.100+
 *                                        │ the box (docker/roles/box.sh), on the isp or, if the scenario says so, the ix:
 *                                        │ iptables REDIRECT (targeted sites' addresses, TCP 443)
 *                                        └─▶ mitmlab proxy :8443 (TLS straight in, routed by SNI; plays the scenario)
 *  vantage 172.30.4.5 sits on internet-net: it reaches the sites without crossing either router, and serves
 *  the vantage service (mitmlab vantage, port 80) that detect in the client compares with.
 * </pre>
 * {@link org.mitmlab.lab.docker.DockerTopology} holds the addresses; {@link org.mitmlab.lab.docker.DockerLab}
 * builds the image, creates the internal networks and containers, and configures routes and iptables;
 * {@link org.mitmlab.lab.docker.ClientDetectFiles} stages what detect needs in the client (certificates only).
 */
package org.mitmlab.lab.docker;
