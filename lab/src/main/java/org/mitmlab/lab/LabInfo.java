package org.mitmlab.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a running lab writes to {@code lab.json} so that commands in another terminal find it.
 *
 * @param pid          process id of the lab
 * @param mode         "embedded" (later also "docker")
 * @param proxy        host:port of the proxy listener
 * @param originHttps  host:port of the simulated Internet (HTTPS), for direct comparisons
 * @param originHttp   host:port of the simulated Internet (plain HTTP)
 * @param startedAt    ISO-8601 start time
 * @param dashboard    URL of the dashboard page ("http://127.0.0.1:8081/"), null when the lab runs none
 * @param scenario     the scenario it runs ("kz-2019")
 * @param rootInstalled whether, in that scenario, the student's machine installed the national root
 *                     ({@code mitmlab browser} follows it); null in files of older versions
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record LabInfo(long pid, String mode, String proxy, String originHttps, String originHttp, String startedAt,
        String dashboard, String scenario, Boolean rootInstalled) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public void write(Path file) {
        try {
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The running lab described in {@code file}, if the file exists and its process is alive. */
    public static Optional<LabInfo> readRunning(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            LabInfo info = JSON.readValue(file.toFile(), LabInfo.class);
            // a live pid is not enough: after a crash and a reboot the pid may belong to another program
            boolean alive = ProcessHandle.of(info.pid())
                    .filter(ProcessHandle::isAlive)
                    .map(p -> p.info().command().map(c -> c.contains("java")).orElse(true))
                    .orElse(false);
            return alive ? Optional.of(info) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
