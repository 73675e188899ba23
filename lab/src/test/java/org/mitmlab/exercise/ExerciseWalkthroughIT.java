package org.mitmlab.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.scenario.YamlDocument;

/**
 * Scripted students: each starts the lab with the handout's command (the real jar, as a process),
 * solves the exercise with the commands the handout names, fills in the answer file the lab wrote,
 * self-checks it, and the instructor grades it. Full marks; a wrong answer loses exactly its task.
 */
class ExerciseWalkthroughIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void huntStudentFindsExactlyTheInterceptedNamesAndGetsFullMarksAndAWrongListLosesOnlyThatTask() throws Exception {
        Path secret = secret();
        Path state = work.resolve("alice-state");
        String student = "alice@uni.example";
        try (StudentShell alice = new StudentShell(state)) {
            alice.up("--scenario", "hunt", "--student", student, "--secret-file", secret.toString());
            assertTryLinesAligned(alice.labOutput());
            // the banner says how to read the handout, and the jar alone prints it
            assertThat(alice.labOutput()).as("banner").anyMatch(l -> l.contains("'mitmlab handout hunt'"));
            StudentShell.Result handout = alice.jar("handout", "hunt");
            assertThat(handout.exit()).as(handout.err()).isZero();
            assertThat(handout.out()).startsWith("# Exercise 2: Hunt").contains("mitmlab check hunt")
                    .contains("[kazakhstan-2019.md](kazakhstan-2019.md)");
            // and the background it links to
            StudentShell.Result background = alice.jar("handout", "kazakhstan-2019");
            assertThat(background.exit()).as(background.err()).isZero();
            assertThat(background.out()).startsWith("# Kazakhstan 2019");
            Path answers = state.resolve("answers-hunt.yaml");
            assertThat(answers).as("the lab wrote the student's answer file").exists();

            // handout: mitmlab detect --all --json
            StudentShell.Result detect = alice.mitmlab("detect", "--all", "--json", "--state-dir", state.toString());
            assertThat(detect.exit()).as("exit 10: interception found; %s", detect.err()).isEqualTo(10);
            List<String> intercepted = new ArrayList<>();
            for (JsonNode h : JSON.readTree(detect.out()).path("hosts")) {
                if (h.path("verdict").asText().equals("intercepted")) {
                    intercepted.add(h.path("host").asText());
                }
            }
            // handout: mitmlab domains --json shows which names were on the 2019 list
            StudentShell.Result domains = alice.mitmlab("domains", "--json");
            TreeSet<String> list2019 = new TreeSet<>();
            for (JsonNode s : JSON.readTree(domains.out()).path("sites")) {
                if (s.path("role").asText().equals("targeted")) {
                    list2019.add(s.path("name").asText());
                }
            }
            List<String> decoys = intercepted.stream().filter(n -> !list2019.contains(n)).toList();
            // handout: the national root's SPKI SHA-256 with openssl
            StudentShell.Result spki = alice.sh("openssl x509 -in " + state.resolve("national-root.pem")
                    + " -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256");
            String rootSpki = spki.out().replaceAll("(?s).*= *", "").strip();

            Map<String, String> filled = new LinkedHashMap<>();
            filled.put("intercepted", yamlList(intercepted));
            filled.put("decoys", yamlList(decoys));
            filled.put("root-spki", "\"" + rootSpki + "\"");
            fillIn(answers, filled);
            StudentShell.Result check = alice.mitmlab("check", "hunt", "--answers", answers.toString());
            assertThat(check.exit()).as("self-check passes: %s %s", check.out(), check.err()).isZero();

            Path handIn = Files.createDirectories(work.resolve("answers"));
            Files.copy(answers, handIn.resolve("alice.yaml"));
            Path events = Files.createDirectories(work.resolve("events").resolve(student));
            Files.copy(state.resolve("events.jsonl"), events.resolve("events.jsonl"));

            // a second copy with one intercepted name missing: loses exactly the 6 marks of that task
            List<String> fewer = new ArrayList<>(intercepted);
            fewer.remove(intercepted.stream().filter(list2019::contains).findFirst().orElseThrow());
            Path wrong = Files.createDirectories(work.resolve("answers-wrong"));
            filled.put("intercepted", yamlList(fewer));
            Path wrongFile = wrong.resolve("alice.yaml");
            Files.copy(answers, wrongFile);
            fillIn(wrongFile, filled);

            Map<String, String> marks = grade(alice, secret, handIn);
            assertThat(marks).containsEntry("intercepted", "6/6").containsEntry("decoys", "2/2").containsEntry("root-spki", "2/2")
                    .containsEntry("vantage-evidence", "2/2");
            Map<String, String> wrongMarks = grade(alice, secret, wrong);
            assertThat(wrongMarks).containsEntry("intercepted", "0/6").containsEntry("decoys", "2/2")
                    .containsEntry("root-spki", "2/2").containsEntry("vantage-evidence", "2/2");
        }
    }

    @Test
    void firstContactStudentReadsTheVictimsLoginAndTheForgeryAndGetsFullMarks() throws Exception {
        Path secret = secret();
        Path state = work.resolve("bob-state");
        try (StudentShell bob = new StudentShell(state)) {
            bob.up("--scenario", "kz-2019", "--student", "bob@uni.example", "--secret-file", secret.toString());
            assertTryLinesAligned(bob.labOutput());
            Path answers = state.resolve("answers-first-contact.yaml");
            assertThat(answers).exists();

            // handout: mitmlab export har --out lab.har; the login form's POST holds the credentials
            Path har = work.resolve("lab.har");
            JsonNode login = null;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (login == null && System.nanoTime() < deadline) {
                StudentShell.Result export = bob.mitmlab("export", "har", "--out", har.toString(), "--state-dir", state.toString());
                assertThat(export.exit()).as(export.err()).isZero();
                for (JsonNode e : JSON.readTree(har.toFile()).path("log").path("entries")) {
                    if (e.path("request").path("method").asText().equals("POST") && e.path("request").path("url").asText().endsWith("/login")) {
                        login = e;
                    }
                }
                if (login == null) {
                    Thread.sleep(500);
                }
            }
            assertThat(login).as("the victim's sign-in reached the box within 30 s").isNotNull();
            String site = java.net.URI.create(login.path("request").path("url").asText()).getHost();
            Map<String, String> form = new LinkedHashMap<>();
            for (JsonNode p : login.path("request").path("postData").path("params")) {
                form.put(p.path("name").asText(), p.path("value").asText());
            }

            // handout: openssl through the proxy shows the forged leaf of vk.com
            StudentShell.Result leaf = bob.sh("openssl s_client -proxy " + bob.proxy() + " -connect vk.com:443 -servername vk.com"
                    + " </dev/null 2>/dev/null | openssl x509 -noout -issuer -text");
            Matcher issuer = Pattern.compile("issuer=.*CN ?= ?([^,\\n]+)").matcher(leaf.out());
            assertThat(issuer.find()).as(leaf.out()).isTrue();
            Matcher exponent = Pattern.compile("Exponent: (\\d+)").matcher(leaf.out());
            assertThat(exponent.find()).as(leaf.out()).isTrue();

            Map<String, String> filled = new LinkedHashMap<>();
            filled.put("victim-site", site);
            filled.put("victim-username", "\"" + form.get("username") + "\"");
            filled.put("victim-password", "\"" + form.get("password") + "\"");
            filled.put("forged-issuer", "\"" + issuer.group(1).strip() + "\"");
            filled.put("forged-exponent", exponent.group(1));
            fillIn(answers, filled);
            assertThat(bob.mitmlab("check", "first-contact", "--answers", answers.toString()).exit()).isZero();
            Path handIn = Files.createDirectories(work.resolve("answers"));
            Files.copy(answers, handIn.resolve("bob.yaml"));
            Map<String, String> marks = grade(bob, secret, handIn);
            assertThat(marks).containsEntry("victim-site", "2/2").containsEntry("victim-username", "2/2")
                    .containsEntry("victim-password", "2/2").containsEntry("forged-issuer", "2/2").containsEntry("forged-exponent", "2/2");
        }
    }

    private Path secret() throws java.io.IOException {
        Path secret = work.resolve("secret.txt");
        if (!Files.exists(secret)) {
            Files.writeString(secret, "walkthrough-secret-0123456789abcdef\n");
        }
        return secret;
    }

    /** The instructor's grade command; returns task -> "marks/max" from grades.csv. */
    private Map<String, String> grade(StudentShell shell, Path secret, Path answers) throws java.io.IOException {
        Path out = Files.createTempDirectory(work, "grades");
        List<String> args = new ArrayList<>(List.of("grade", "--secret-file", secret.toString(), "--answers", answers.toString(),
                "--out", out.toString()));
        if (Files.isDirectory(work.resolve("events"))) {
            args.addAll(List.of("--events", work.resolve("events").toString()));
        }
        StudentShell.Result r = shell.mitmlab(args.toArray(String[]::new));
        assertThat(r.exit()).as("%s %s", r.out(), r.err()).isZero();
        Map<String, String> marks = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(out.resolve("grades.csv"), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", 6);
            marks.put(f[2], f[3] + "/" + f[4]);
        }
        return marks;
    }

    /** Keeps the lab's header (exercise, student, token) and writes the answers below it. */
    private static void fillIn(Path file, Map<String, String> answers) throws java.io.IOException {
        YamlDocument.Node root = YamlDocument.parse(Files.readString(file), file.toString()).root();
        StringBuilder b = new StringBuilder();
        b.append("exercise: ").append(root.string("exercise")).append('\n');
        b.append("student: \"").append(root.string("student")).append("\"\n");
        b.append("token: \"").append(root.string("token")).append("\"\n");
        b.append("answers:\n");
        answers.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
        Files.writeString(file, b.toString());
    }

    private static String yamlList(List<String> names) {
        return "[" + String.join(", ", names) + "]";
    }

    /** The banner's example commands, copied from a terminal: their comments start in one column, whatever the state directory's length. */
    private static void assertTryLinesAligned(List<String> banner) {
        int from = banner.indexOf("Try in another terminal:");
        int to = banner.indexOf("Stop with Ctrl-C.");
        assertThat(from).as("the banner has example commands: %s", banner).isNotNegative();
        List<String> tries = banner.subList(from + 1, to);
        assertThat(tries).as("example commands").hasSizeGreaterThanOrEqualTo(3);
        int column = tries.get(0).indexOf("   # ");
        for (String line : tries) {
            assertThat(line.indexOf("   # ")).as("comment column of %s", line).isPositive().isEqualTo(column);
        }
    }
}
