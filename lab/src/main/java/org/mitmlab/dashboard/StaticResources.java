package org.mitmlab.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The page's three files, read from the classpath once at start-up (a missing one fails the start,
 * not a student's first visit). Plain HTML, CSS and JavaScript: no build step, nothing fetched from
 * elsewhere.
 */
final class StaticResources {
    private static final String BASE = "/org/mitmlab/dashboard/";

    /** One file: its bytes and content type. */
    record Resource(byte[] body, String contentType) {
    }

    private final Map<String, Resource> byPath;

    StaticResources() {
        Resource index = load("index.html", "text/html; charset=utf-8");
        this.byPath = Map.of(
                "/", index,
                "/index.html", index,
                "/dashboard.css", load("dashboard.css", "text/css; charset=utf-8"),
                "/dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"));
    }

    Optional<Resource> get(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    private static Resource load(String name, String contentType) {
        try (InputStream in = StaticResources.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard resource " + BASE + name + " is missing from the build");
            }
            return new Resource(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard resource " + name, e);
        }
    }
}
