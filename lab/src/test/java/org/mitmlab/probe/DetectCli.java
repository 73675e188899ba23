package org.mitmlab.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.mitmlab.cli.Main;
import org.mitmlab.lab.StateDir;

/** Runs {@code mitmlab detect} through {@link Main#run} against a state directory, as a student would. */
final class DetectCli {
    private DetectCli() {
    }

    /** What one run printed and returned. */
    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        /** The JSON report of {@code host}. */
        JsonNode host(String host) {
            return StreamSupport.stream(json().path("hosts").spliterator(), false)
                    .filter(h -> h.path("host").asText().equals(host)).findFirst()
                    .orElseThrow(() -> new AssertionError("no report for " + host + " in " + out));
        }

        /** The finding of {@code detector} for {@code host}, or a missing node. */
        JsonNode finding(String host, String detector) {
            return StreamSupport.stream(host(host).path("findings").spliterator(), false)
                    .filter(f -> f.path("detector").asText().equals(detector)).findFirst()
                    .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        }

        List<String> detectorsThatFired(String host) {
            List<String> out = new ArrayList<>();
            host(host).path("findings").forEach(f -> out.add(f.path("detector").asText()));
            return out;
        }

        void assertOneLineError() {
            assertThat(err.strip()).as("stderr: %s", err).isNotEmpty().doesNotContain("\n");
            assertThat(err).as("no stack trace").doesNotContain("\tat ");
        }
    }

    static Result detect(StateDir state, String... args) {
        List<String> all = new ArrayList<>(List.of("detect"));
        all.addAll(Arrays.asList(args));
        all.add("--state-dir");
        all.add(state.root().toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            exit = Main.run(all.toArray(String[]::new), o, e);
        }
        return new Result(exit, out.toString(), err.toString());
    }
}
