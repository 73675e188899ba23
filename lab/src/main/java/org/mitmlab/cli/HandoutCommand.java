package org.mitmlab.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.mitmlab.exercise.Exercise;
import org.mitmlab.exercise.Exercises;
import org.mitmlab.exercise.Readings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab handout [NAME]}: the students' handouts and the documents they link to, read from the
 * jar, so that a student who was given only the jar has the same text as the repository's docs.
 */
@Command(name = "handout", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print an exercise's student handout (Markdown), or a document the handouts link to; "
                + "list both when none is named. The texts are the repository's docs, packed into the jar. "
                + "Links between them point to NAME.md, so files written with --out into one folder link to each other."},
        footer = {"", "Examples:",
            "  mitmlab handout                       # lists the exercises and the readings",
            "  mitmlab handout first-contact | less",
            "  mitmlab handout hunt --out class/hunt.md",
            "  mitmlab handout detectors --out class/detectors.md"})
public final class HandoutCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
            description = "An exercise (first-contact, hunt, locate) or a reading the handouts link to, "
                    + "such as kazakhstan-2019 or detectors. Without it: the list of both.")
    private String name;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the handout to FILE instead of printing it.")
    private Path out;

    @Override
    public void run() {
        PrintWriter console = spec.commandLine().getOut();
        if (name == null) {
            if (out != null) {
                throw UserError.of("--out needs a handout to write: e.g. mitmlab handout hunt --out " + out);
            }
            list(console);
            return;
        }
        Optional<Exercise> exercise = Exercises.byId(name);
        String text = Readings.forPrinting(exercise.map(Exercise::handoutText).orElseGet(() -> readingText(name)));
        if (out == null) {
            console.print(text);
        } else {
            Path written = OutputFile.write(out, "--out", name + ".md", OutputFile.Readers.EVERYONE,
                    file -> Files.writeString(file, text, StandardCharsets.UTF_8));
            console.println("Wrote the " + name + (exercise.isPresent() ? " handout" : " reading") + " to " + written);
        }
        console.flush();
    }

    private static String readingText(String name) {
        return Readings.text(name).orElseThrow(() -> UserError.of("unknown handout '" + name + "': use an exercise ("
                + String.join(", ", Exercises.ids()) + ") or a reading (" + String.join(", ", Readings.ids()) + ")"));
    }

    private static void list(PrintWriter console) {
        int width = Exercises.ids().stream().mapToInt(String::length).max().orElse(0);
        console.println("Exercises, in teaching order (print one with 'mitmlab handout EXERCISE'):");
        for (Exercise e : Exercises.all()) {
            console.println(String.format(Locale.ROOT, "  %-" + width + "s  %s", e.id(), e.title()));
            console.println(String.format(Locale.ROOT, "  %-" + width + "s  scenario %s, %d marks", "", e.scenario(), e.maxMarks()));
        }
        console.println();
        console.println("Readings the handouts link to (print one the same way):");
        console.println("  " + String.join(", ", Readings.ids()));
        console.flush();
    }
}
