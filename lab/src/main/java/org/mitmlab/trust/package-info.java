/**
 * Trust-store hygiene: where is a national root installed on this machine, and taking it out again.
 *
 * <ul>
 *   <li><b>Readers</b> turn one trust store into a {@link org.mitmlab.trust.StoreContents} (every
 *       trusted certificate with the name the store gives it): {@link org.mitmlab.trust.JdkKeystores}
 *       (the JDK's {@code cacerts} or any PKCS#12/JKS file), {@link org.mitmlab.trust.PemBundles}
 *       (the system bundle) and {@link org.mitmlab.trust.NssDatabase} (Chromium and Firefox profiles,
 *       through {@link org.mitmlab.trust.Certutil}, Debian's libnss3-tools, an optional dependency).</li>
 *   <li><b>Matching</b> is pure: {@link org.mitmlab.trust.RootMatcher} compares the SPKI SHA-256 of
 *       every certificate with {@link org.mitmlab.detect.KnownRoots} (the shipped list plus the lab's
 *       own national root), the way browsers blocked the 2019 root, and returns
 *       {@link org.mitmlab.trust.TrustFinding}s.</li>
 *   <li><b>A browser's own block</b>: {@link org.mitmlab.trust.SpkiBlocklist} (the state directory's
 *       browser-blocklist.txt) and {@link org.mitmlab.trust.BlocklistTrustManager}, PKIX that also
 *       refuses any chain with a blocked key even when its root is installed, as Chromium and Firefox
 *       did from 21 August 2019; {@link org.mitmlab.trust.BrowserTrust} makes an SSLContext of it.</li>
 *   <li><b>Where to look</b>: {@link org.mitmlab.trust.TrustLocations} lists the default stores from
 *       a home directory and a JDK home that are passed in, so tests never read the real ones.</li>
 * </ul>
 * {@code mitmlab trust} ({@code org.mitmlab.cli.TrustCommand}) wires these together;
 * docs/remove-the-root.md is the manual version for every platform.
 */
package org.mitmlab.trust;
