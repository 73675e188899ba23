package org.mitmlab.lab;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code mitmlab detect} uses on a machine of the Docker lab, where no lab process runs and so
 * there is no {@code lab.json}: {@code detect.json} in the state directory, written when the lab is
 * staged. The other files detect reads (public roots, national root and intermediate, genuine
 * chains for the pins) sit in the state directory under their usual names ({@link StateDir}).
 * Relative paths are relative to the state directory.
 *
 * @param hosts   the lab's hosts file: each site's own address (the path under test goes there directly)
 * @param trust   the machine's trust store (what it would accept)
 * @param ctLog   HOST:PORT of the plain-HTTP listener that serves the CT log
 * @param vantage URL of the vantage service ({@code GET URL?host=NAME})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DetectSetup(String hosts, String trust, String ctLog, String vantage) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public void write(Path file) {
        try {
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The setup of {@code dir}, if it has one. */
    public static Optional<DetectSetup> read(StateDir dir) {
        Path file = dir.detectSetup();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), DetectSetup.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (written when the Docker lab was staged)", e);
        }
    }

    /** {@code path} of this setup, resolved against {@code dir}. */
    public static Path resolve(StateDir dir, String path) {
        return dir.root().resolve(path);
    }
}
