package org.mitmlab.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.mitmlab.exercise.Exercise;
import org.mitmlab.exercise.Exercises;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab handout [EXERCISE]}: the students' handouts, read from the jar, so that a student who
 * was given only the jar has the same text as the repository's docs/exercises.
 */
@Command(name = "handout", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print an exercise's student handout (Markdown), or list the exercises when none is named. "
                + "The text is the repository's docs/exercises/EXERCISE.md, packed into the jar."},
        footer = {"", "Examples:",
            "  mitmlab handout                       # lists the exercises",
            "  mitmlab handout first-contact | less",
            "  mitmlab handout hunt --out hunt.md"})
public final class HandoutCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXERCISE",
            description = "The exercise: first-contact, hunt or locate. Without it: the list.")
    private String exerciseId;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the handout to FILE instead of printing it.")
    private Path out;

    @Override
    public void run() {
        PrintWriter console = spec.commandLine().getOut();
        if (exerciseId == null) {
            if (out != null) {
                throw UserError.of("--out needs an exercise to write: e.g. mitmlab handout hunt --out " + out);
            }
            list(console);
            return;
        }
        Exercise exercise = Exercises.byId(exerciseId).orElseThrow(() -> UserError.of(Exercises.unknown(exerciseId)));
        String text = exercise.handoutText();
        if (out == null) {
            console.print(text);
        } else {
            Path written = OutputFile.write(out, "--out", exercise.id() + ".md", OutputFile.Readers.EVERYONE,
                    file -> Files.writeString(file, text, StandardCharsets.UTF_8));
            console.println("Wrote the " + exercise.id() + " handout to " + written);
        }
        console.flush();
    }

    private static void list(PrintWriter console) {
        int width = Exercises.ids().stream().mapToInt(String::length).max().orElse(0);
        console.println("Exercises, in teaching order (print one with 'mitmlab handout EXERCISE'):");
        for (Exercise e : Exercises.all()) {
            console.println(String.format(Locale.ROOT, "  %-" + width + "s  %s", e.id(), e.title()));
            console.println(String.format(Locale.ROOT, "  %-" + width + "s  scenario %s, %d marks", "", e.scenario(), e.maxMarks()));
        }
        console.flush();
    }
}
