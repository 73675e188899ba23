/**
 * Watching the interception: the dashboard page, the {@code watch} table and the HAR export, all
 * reading the same flow events.
 *
 * <p>Live: the lab's event fan-out has an {@link org.mitmlab.dashboard.EventHub}, which numbers each
 * event, folds it into {@link org.mitmlab.dashboard.FlowRow}s ({@link org.mitmlab.dashboard.FlowRows},
 * the one definition of a table row) and offers it as a Server-Sent Events message to every open
 * page. {@link org.mitmlab.dashboard.DashboardServer} serves the page and its JSON API on the lab's
 * event loops; each page's stream is an {@link org.mitmlab.dashboard.SseHandler} with a bounded
 * queue, so a slow browser loses messages (and is told how many), never the proxy's time.
 * {@link org.mitmlab.dashboard.CertificateComparison} lays the genuine and the forged certificate of
 * a flow side by side; {@link org.mitmlab.dashboard.Overview} counts per domain and over time.
 * {@link org.mitmlab.dashboard.ProxyAutoConfig} is the PAC file the dashboard serves at
 * {@code /proxy.pac}: the lab's names to its proxy, every other site {@code DIRECT}.
 *
 * <p>From files: {@link org.mitmlab.dashboard.EventsFiles} reads {@code events.jsonl} and its rotated
 * predecessors, {@link org.mitmlab.dashboard.EventsFollower} follows it like {@code tail -F} for
 * {@link org.mitmlab.dashboard.WatchView}, and {@link org.mitmlab.dashboard.HarExport} turns the
 * recorded requests into HAR 1.2.
 */
package org.mitmlab.dashboard;
