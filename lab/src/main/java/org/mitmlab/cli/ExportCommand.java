package org.mitmlab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mitmlab.dashboard.EventsFiles;
import org.mitmlab.dashboard.HarExport;
import org.mitmlab.event.CertificateForged;
import org.mitmlab.event.ConnectionOpened;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.HttpExchange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mitmlab export}: what the lab recorded, in formats other tools open. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Write what the lab recorded in a format other tools open.", subcommands = ExportCommand.Har.class)
public final class ExportCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code mitmlab export har}. */
    @Command(name = "har", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Write the requests the interceptor read as HAR 1.2, which browser devtools import "
                    + "(Network panel, Import HAR). Each entry has a '_mitmlab' field with the flow, the decision, "
                    + "the captured form fields and the forged certificate.")
    static final class Har implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private StateDirOption stateDir;

        @Option(names = "--events", paramLabel = "FILE",
                description = "Read this events file instead of the state directory's events.jsonl and its rotated files.")
        private Path events;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the HAR file.")
        private Path out;

        @Override
        public Integer call() throws IOException {
            if (events != null && spec.commandLine().getParseResult().hasMatchedOption("--state-dir")) {
                throw UserError.of("--events and --state-dir both name what to read: give one of them");
            }
            OutputFile.check(out, "--out", "lab.har");
            List<Path> files;
            if (events != null) {
                if (!Files.isRegularFile(events)) {
                    throw UserError.missingFile("the events file", events);
                }
                files = List.of(events);
            } else {
                Path main = stateDir.stateDir().events();
                files = EventsFiles.chronological(main);
                if (files.isEmpty()) {
                    throw UserError.of("no events in " + main.getParent() + ": start a lab with 'mitmlab up' and make some "
                            + "traffic, or name an events file with --events");
                }
            }
            EventJson json = new EventJson();
            EventsFiles.Read read = EventsFiles.read(files, json, e -> e instanceof HttpExchange
                    || e instanceof CertificateForged || e instanceof DecisionMade || e instanceof ConnectionOpened);
            ObjectNode har = new HarExport(json.mapper(), HarExport.currentVersion()).build(read.events());
            Path target = OutputFile.write(out, "--out", "lab.har", OutputFile.Readers.OWNER,
                    file -> json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), har));
            PrintWriter o = spec.commandLine().getOut();
            int n = HarExport.entryCount(har);
            o.println("Wrote " + n + (n == 1 ? " request" : " requests") + " to " + target
                    + (n == 0 ? " (none recorded yet: only intercepted and plain-HTTP requests are readable)"
                            : " (browser devtools: Network panel, Import HAR)"));
            if (read.skippedLines() > 0) {
                spec.commandLine().getErr().println("mitmlab: warning: " + read.skippedLines()
                        + " lines were not flow events and were skipped");
            }
            o.flush();
            return ExitCodes.OK;
        }
    }
}
