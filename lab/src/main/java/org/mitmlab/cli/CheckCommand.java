package org.mitmlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mitmlab.exercise.AnswerCheck;
import org.mitmlab.exercise.AnswerCheck.Line;
import org.mitmlab.exercise.AnswerCheck.Status;
import org.mitmlab.exercise.AnswerTemplate;
import org.mitmlab.exercise.Exercise;
import org.mitmlab.exercise.Exercises;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab check EXERCISE}: the student's self-check of an answer file before handing it in.
 * Shape only, with no secret: it cannot tell, and never says, whether an answer is right.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Check an answer file before you hand it in: that it is valid YAML for the right exercise, names "
                + "you and keeps its token, and that every task has an answer of the right kind (lab sites, a 64-hex "
                + "SPKI SHA-256, a whole number). Prints one line per task: ok, missing or malformed, with the fix.",
            "It never says whether an answer is right: only the instructor's 'mitmlab grade' knows that."},
        footer = {"", "Examples:",
            "  mitmlab check hunt          # reads answers-hunt.yaml in the state directory",
            "  mitmlab check first-contact --answers ~/answers-first-contact.yaml",
            "", "Exit codes: 0 ready to hand in, 13 something is missing, malformed or unknown, 2 usage error, 3 user error."})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private StateDirOption stateDir;

    @Parameters(index = "0", paramLabel = "EXERCISE", description = "The exercise: first-contact, hunt or locate.")
    private String exerciseId;

    @Option(names = "--answers", paramLabel = "FILE",
            description = "The answer file. Default: answers-EXERCISE.yaml in the state directory (where 'mitmlab up --student' writes it).")
    private Path answers;

    @Override
    public Integer call() {
        Exercise exercise = Exercises.byId(exerciseId).orElseThrow(() -> UserError.of(Exercises.unknown(exerciseId)));
        Path file = answers != null ? answers : stateDir.stateDir().root().resolve(AnswerTemplate.fileName(exercise));
        if (!java.nio.file.Files.exists(file)) {
            throw UserError.missingFile("answer file", file);
        }
        AnswerCheck.Report report = AnswerCheck.check(exercise, file);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Checking " + file + " for " + exercise.id() + " (the form of the answers only, not whether they are right)");
        int width = report.lines().stream().mapToInt(l -> l.field().length()).max().orElse(0);
        for (Line l : report.lines()) {
            out.printf("  %-9s  %-" + width + "s  %s%n", l.status().label(), l.field(), l.message());
        }
        if (report.complete()) {
            out.println("Ready to hand in.");
            return ExitCodes.OK;
        }
        out.println("Not ready: " + report.count(Status.MISSING) + " missing, " + report.count(Status.MALFORMED) + " malformed, "
                + report.count(Status.UNKNOWN) + " unknown; fix them and run check again.");
        return ExitCodes.ANSWERS_INCOMPLETE;
    }
}
