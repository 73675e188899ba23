package org.mitmlab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code mitmlab}: the top command; without a subcommand it prints help. */
@Command(name = "mitmlab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A teaching lab for TLS interception: the 2019 Kazakhstan \"Qaznet Trust Network\" case, "
                + "recreated on 127.0.0.1 with a national root, a simulated Internet and an intercepting proxy.",
        subcommands = {UpCommand.class, DemoCommand.class, DomainsCommand.class, CaCommand.class, ProxyCommand.class,
            InternetCommand.class, DownCommand.class, DashboardCommand.class, ShellCommand.class,
            DetectCommand.class, LocateCommand.class, WatchCommand.class, ExportCommand.class, BrowserCommand.class,
            TrustCommand.class, CaptureCommand.class, ScenarioCommand.class, HandoutCommand.class, CheckCommand.class,
            GradeCommand.class, VantageCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 internal error, 2 usage error, 3 user error (message says the fix), 4 no running lab;"
                + " detect and locate: 10 interception found, 11 could not tell; trust check: 12 a national root is installed;"
                + " check: 13 the answer file is not ready to hand in."})
public final class MitmlabCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces and debug logs.")
    void verbose(boolean on) {
        if (on) {
            System.setProperty("mitmlab.verbose", "true");
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.mitmlab"))
                    .setLevel(ch.qos.logback.classic.Level.DEBUG);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
