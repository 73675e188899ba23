/**
 * The flow-event model: one immutable record per thing that happened to a connection, shared by
 * the proxy (which emits), the events file, the demo table and, later, the dashboard, exports and
 * detectors (which read).
 *
 * <p>A flow is one client connection, named by a {@code flowId}. Its life in events:
 * {@link org.mitmlab.event.ConnectionOpened}, {@link org.mitmlab.event.DecisionMade}, then for an
 * interception {@link org.mitmlab.event.CertificateForged} and one
 * {@link org.mitmlab.event.HttpExchange} per request (or
 * {@link org.mitmlab.event.ClientRejectedCertificate} when the client does not trust the national
 * root), {@link org.mitmlab.event.Refused} for destinations outside the lab,
 * {@link org.mitmlab.event.ConnectionFailed} for errors, and {@link org.mitmlab.event.ConnectionClosed}.
 *
 * <p>{@link org.mitmlab.event.EventSink} receives events; {@link org.mitmlab.event.JsonLinesEventWriter}
 * appends them to {@code events.jsonl} off the event loop; {@link org.mitmlab.event.EventJson}
 * is the one JSON mapping, used for writing and reading.
 */
package org.mitmlab.event;
