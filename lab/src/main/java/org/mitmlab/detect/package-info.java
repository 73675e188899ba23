/**
 * Detecting TLS interception, as pure functions from observations to findings. Nothing here opens a
 * socket or reads a clock: {@code org.mitmlab.probe} makes the observations, this package judges them.
 *
 * <ul>
 *   <li><b>Observations</b>: {@link org.mitmlab.detect.TlsObservation} (host, path, SNI sent,
 *       presented chain, validation against the public store and the client's store),
 *       {@link org.mitmlab.detect.CtLookup}, and per host {@link org.mitmlab.detect.HostObservations}
 *       (the path under test, the SNI variants, the vantage point, the CT log).</li>
 *   <li><b>Detectors</b>: {@link org.mitmlab.detect.Detector} implementations, listed by
 *       {@link org.mitmlab.detect.Detectors#all()}: untrusted issuer, vantage mismatch, SNI
 *       differential, known interception root, not in CT, pin mismatch, and five heuristic forgery
 *       tells. Each returns an {@link org.mitmlab.detect.Outcome}: fired (a
 *       {@link org.mitmlab.detect.Finding} with evidence and one sentence), silent, or skipped (and why).</li>
 *   <li><b>Reference data</b>: {@link org.mitmlab.detect.KnownRoots} (shipped as
 *       {@code known-interception-roots.tsv}, plus the lab's national root) and
 *       {@link org.mitmlab.detect.PinSet}.</li>
 *   <li><b>Results</b>: one {@link org.mitmlab.detect.HostReport} and {@link org.mitmlab.detect.Verdict}
 *       per host; {@link org.mitmlab.detect.ReportJson} is their JSON form.</li>
 * </ul>
 * docs/detectors.md says what each detector misses and what trips it wrongly;
 * docs/writing-a-detector.md shows how to add one.
 */
package org.mitmlab.detect;
