package org.mitmlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mitmlab.lab.LabCapture;
import org.mitmlab.lab.LabInfo;
import org.mitmlab.lab.StateDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mitmlab capture}: runs tcpdump on the loopback interface, limited to the running lab's
 * ports (proxy and simulated Internet, from {@code lab.json}), then prints the tshark line that
 * decrypts the capture with {@code keys.log} (a lab started with {@code up --key-log}).
 */
@Command(name = "capture", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Capture the running lab's loopback traffic to a pcap file with tcpdump (needs root or CAP_NET_RAW); "
                + "with 'up --key-log', Wireshark or tshark decrypts it with keys.log.")
public final class CaptureCommand implements java.util.concurrent.Callable<Integer> {
    private static final int MAX_PACKETS = 1_000_000;

    @Spec
    private CommandSpec spec;

    @Mixin
    private StateDirOption stateDir;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The pcap file to write.")
    private Path out;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "0",
            description = "Stop after N seconds (0: at Ctrl-C, or after " + MAX_PACKETS + " packets). Default: ${DEFAULT-VALUE}")
    private int seconds;

    @Override
    public Integer call() throws InterruptedException {
        if (seconds < 0) {
            throw UserError.of("--seconds " + seconds + " is negative: use 0 (until Ctrl-C) or a number of seconds");
        }
        Path pcap = OutputFile.check(out, "--out", "lab.pcap");
        StateDir dir = stateDir.stateDir();
        LabInfo info = LabInfo.readRunning(dir.labInfo()).orElseThrow(() -> UserError.noRunningLab(dir.root()));
        if (!"embedded".equals(info.mode())) {
            throw UserError.of("capture records the embedded lab's loopback traffic; this lab runs in " + info.mode() + " mode");
        }
        LabCapture ports = LabCapture.of(info);
        List<String> command = ports.tcpdump(pcap, MAX_PACKETS);
        PrintWriter console = spec.commandLine().getOut();
        console.println("Capturing: " + LabCapture.shell(command));
        console.flush();
        Process tcpdump;
        try {
            tcpdump = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw UserError.of("cannot run tcpdump (" + e.getMessage() + "): install it (Debian: apt-get install tcpdump)");
        }
        boolean finished = seconds > 0 ? tcpdump.waitFor(seconds, TimeUnit.SECONDS) : waitUntilStopped(tcpdump);
        if (!finished) {
            tcpdump.destroy(); // SIGTERM: tcpdump writes what it has and exits
            tcpdump.waitFor(10, TimeUnit.SECONDS);
        }
        int code = tcpdump.exitValue();
        if (code != 0 && code != 143 && code != 130) {
            throw UserError.of("tcpdump failed (exit " + code + "); capturing needs root or CAP_NET_RAW, e.g. sudo "
                    + LabCapture.shell(command));
        }
        console.println("Wrote " + pcap + ". Decrypt it (lab started with 'up --key-log'):");
        console.println("  " + LabCapture.shell(ports.tsharkRequests(pcap, dir.keyLog())));
        console.flush();
        return ExitCodes.OK;
    }

    /** Until tcpdump ends (Ctrl-C reaches it too: same process group). */
    private static boolean waitUntilStopped(Process tcpdump) throws InterruptedException {
        tcpdump.waitFor();
        return true;
    }
}
