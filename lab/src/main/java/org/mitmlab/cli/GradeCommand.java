package org.mitmlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mitmlab.exercise.GradedFile;
import org.mitmlab.exercise.Grader;
import org.mitmlab.exercise.GradesCsv;
import org.mitmlab.exercise.GradesMarkdown;
import org.mitmlab.scenario.ScenarioException;
import org.mitmlab.scenario.ScenarioLoader;
import org.mitmlab.scenario.StudentKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab grade}: the instructor marks a directory of answer files. Each student's variant is
 * re-derived from the secret, so nothing from the students' labs is needed except, for evidence
 * tasks, their events files.
 */
@Command(name = "grade", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Mark every answer file (*.yaml) in a directory: recompute each student's variant from the "
                + "instructor secret and the student id, check the file's token, and mark every task. Writes grades.csv "
                + "(a row per task) and grades.md (a section per student, with the reasons) and prints a summary.",
            "A file that cannot be graded (not YAML, unknown exercise, wrong token, two files for one student) gets zero "
                + "marks with the reason; it never stops the others."},
        footer = {"", "Examples:",
            "  mitmlab grade --secret-file secret.txt --answers handed-in/",
            "  mitmlab grade --secret-file secret.txt --answers handed-in/ \\",
            "      --events events/ --out grades/",
            "    (events/ holds STUDENT/events.jsonl or STUDENT.jsonl, for tasks marked from the student's events)",
            "", "Exit codes: 0 every file graded (even with zero marks), 2 usage error, 3 user error."})
public final class GradeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--secret-file", required = true, paramLabel = "FILE",
            description = "The instructor secret the students' labs were started with (at least 16 bytes).")
    private Path secretFile;

    @Option(names = "--answers", required = true, paramLabel = "DIR", description = "Directory of the handed-in answer files (*.yaml).")
    private Path answersDir;

    @Option(names = "--events", paramLabel = "DIR",
            description = "Directory of the students' events: STUDENT/events.jsonl or STUDENT.jsonl. Without it, tasks marked "
                    + "from events get zero.")
    private Path eventsDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Where grades.csv and grades.md go. Default: the current directory.")
    private Path outDir;

    @Override
    public Integer call() {
        byte[] secret;
        Grader grader;
        try {
            secret = StudentKey.readSecret(secretFile);
            grader = new Grader(secret, new ScenarioLoader(), Optional.ofNullable(eventsDir));
        } catch (ScenarioException e) {
            throw UserError.of(e.getMessage(), e);
        }
        directory(answersDir, "--answers");
        if (eventsDir != null) {
            directory(eventsDir, "--events");
        }
        List<Path> files = answerFiles();
        List<GradedFile> graded = grader.grade(files);
        Path out = outDir != null ? outDir : Path.of("");
        write(out.resolve("grades.csv"), GradesCsv.format(graded));
        write(out.resolve("grades.md"), GradesMarkdown.format(graded));
        summary(graded, out);
        return ExitCodes.OK;
    }

    private static void directory(Path dir, String option) {
        if (!Files.exists(dir)) {
            throw UserError.missingFile(option + " directory", dir);
        }
        if (!Files.isDirectory(dir)) {
            throw UserError.of(option + " " + dir + " is a file: give the directory that holds the files");
        }
    }

    private List<Path> answerFiles() {
        List<Path> files;
        try (Stream<Path> s = Files.list(answersDir)) {
            files = s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw UserError.of("cannot list " + answersDir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw UserError.of("no *.yaml answer files in " + answersDir + ": collect the students' answers-EXERCISE.yaml there");
        }
        return files;
    }

    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw UserError.of("cannot write " + file + " (" + e.getMessage() + "): choose another --out directory", e);
        }
    }

    private void summary(List<GradedFile> graded, Path out) {
        PrintWriter w = spec.commandLine().getOut();
        int sw = Math.max("student".length(), graded.stream().mapToInt(g -> g.student().length()).max().orElse(0));
        int ew = Math.max("exercise".length(), graded.stream().mapToInt(g -> g.exercise().length()).max().orElse(0));
        String row = "%-" + sw + "s  %-" + ew + "s  %s%n";
        w.printf(row, "student", "exercise", "marks");
        for (GradedFile g : graded) {
            w.printf(row, g.student(), g.exercise(), g.total() + "/" + g.max());
        }
        String where = out.toString().isEmpty() ? "the current directory" : out.toString();
        w.println("Graded " + graded.size() + " file" + (graded.size() == 1 ? "" : "s") + "; grades.csv and grades.md are in " + where + ".");
    }
}
