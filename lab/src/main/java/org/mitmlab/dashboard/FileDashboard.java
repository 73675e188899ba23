package org.mitmlab.dashboard;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.function.Predicate;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.EventLog;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.net.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard over an events file that another process writes (the Docker lab's box):
 * a follower thread feeds each appended event to the same log and hub the embedded lab uses.
 * Listens on 127.0.0.1 only: the page shows captured passwords.
 */
public final class FileDashboard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileDashboard.class);
    private static final long POLL_MILLIS = 200;

    private final Transport transport;
    private final DashboardServer server;
    private final Thread follower;

    private FileDashboard(Transport transport, DashboardServer server, Thread follower) {
        this.transport = transport;
        this.server = server;
        this.follower = follower;
    }

    /** Binds 127.0.0.1:{@code port} (0: any free port); throws when the port is taken. */
    public static FileDashboard start(Path events, X509Certificate nationalRoot, Predicate<String> targeted, int port)
            throws InterruptedException {
        EventJson json = new EventJson();
        EventLog eventLog = new EventLog(20_000);
        EventHub hub = new EventHub(json);
        Transport transport = Transport.create(1);
        DashboardServer server = new DashboardServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), transport,
                eventLog, hub, targeted, nationalRoot, Clock.systemUTC(), json);
        try {
            server.start();
        } catch (InterruptedException | RuntimeException e) {
            transport.close();
            throw e;
        }
        Thread follower = new Thread(() -> follow(events, json, eventLog, hub), "mitmlab-follow");
        follower.setDaemon(true);
        follower.start();
        return new FileDashboard(transport, server, follower);
    }

    public String url() {
        return server.url();
    }

    private static void follow(Path file, EventJson json, EventLog eventLog, EventHub hub) {
        try (EventsFollower events = new EventsFollower(file, json)) {
            while (!Thread.currentThread().isInterrupted()) {
                for (FlowEvent e : events.poll()) {
                    eventLog.emit(e);
                    hub.emit(e);
                }
                if (!events.hasMore()) {
                    Thread.sleep(POLL_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.error("Cannot follow {}: {}", file, e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.interrupt();
        server.close();
        transport.close();
    }
}
