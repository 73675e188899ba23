/**
 * The network side of detection: the TLS and HTTP clients that make the observations
 * {@code org.mitmlab.detect} judges, and the lab's vantage service. Kept apart from {@code detect}
 * so that the detectors stay pure functions.
 *
 * <ul>
 *   <li>{@link org.mitmlab.probe.ChainFetcher}: one TLS handshake, straight or through
 *       {@code CONNECT}, keeping whatever chain was presented (fresh context each time: no resumption).</li>
 *   <li>{@link org.mitmlab.probe.HostProbe}: every observation for a host: the path under test
 *       ({@link org.mitmlab.probe.PathUnderTest}) with the host's SNI, an unrelated SNI and none; the
 *       {@link org.mitmlab.probe.Vantage}; the CT log ({@link org.mitmlab.probe.CtLogClient}).</li>
 *   <li>{@link org.mitmlab.probe.VantageService}: the lab's vantage point, served by the embedded lab
 *       on the simulated Internet's plain-HTTP listener as {@code vantage.lab}, and by the Docker lab's
 *       {@code vantage} container on its own port ({@link org.mitmlab.probe.VantageServer}). Where it
 *       connects for a name comes from {@link org.mitmlab.probe.SiteAddresses}: one listener, or each
 *       site's own address in the lab's hosts file ({@link org.mitmlab.probe.LabHostsFile}), which is
 *       also where the Docker client's direct path under test goes.</li>
 * </ul>
 * Every socket has a connect and read timeout; nothing here resolves names through DNS.
 */
package org.mitmlab.probe;
