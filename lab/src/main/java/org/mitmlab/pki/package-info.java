/**
 * All X.509 work of the lab, with Bouncy Castle.
 *
 * <ul>
 *   <li>{@link org.mitmlab.pki.NationalPki}: the lab's "Qaznet Trust Network" root and its
 *       "Security Certificate" intermediate, shaped like the 2019 originals (subject, key sizes,
 *       extension order and criticality), but with a short validity so a forgotten install expires;
 *       or, by {@link org.mitmlab.pki.RootStyle}, a root shaped like the 2020 ISCA drill root.</li>
 *   <li>{@link org.mitmlab.pki.WebPki}: the simulated public Web PKI (a root, an issuing CA and the
 *       genuine certificate of every lab site) and the trust bundle that stands in for a browser's
 *       root store.</li>
 *   <li>{@link org.mitmlab.pki.LeafForger}: turns a genuine certificate and a
 *       {@link org.mitmlab.pki.ForgeryProfile} (what the 2019 box copied, replaced and dropped, as
 *       data; {@code kz2019()} or a careless self-signing interceptor) into a {@link org.mitmlab.pki.ForgedLeaf}. {@link org.mitmlab.pki.ForgeryCache}
 *       mints on its own executor, from keys a {@link org.mitmlab.pki.KeyPool} generated ahead of
 *       time, so no event loop ever waits for RSA.</li>
 *   <li>{@link org.mitmlab.pki.PemFiles} and {@link org.mitmlab.pki.KeyFiles}: certificates as PEM,
 *       private keys as PKCS#8 PEM created with mode 0600.</li>
 * </ul>
 * JCA and Bouncy Castle checked exceptions are wrapped once, here, into {@link org.mitmlab.pki.PkiException}.
 */
package org.mitmlab.pki;
