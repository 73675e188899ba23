package org.mitmlab.exercise;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mitmlab.exercise.Task.Judgement;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.pki.RootStyle;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.ResolvedScenario.Victim;
import org.mitmlab.scenario.Scenario;

/**
 * {@code first-contact} (kz-2019): read a simulated victim's captured login out of the intercepted
 * traffic, and two tells of the forged leaf (its issuer and its RSA exponent).
 */
public final class FirstContactExercise implements Exercise {
    private final List<Task> tasks = List.of(
            new Task("victim-site", 2, AnswerKind.NAME, "the site the victim logged in to", false,
                    (v, a, e) -> victim(v).map(w -> Judgement.of(a.name().equals(w.site()),
                            "answered " + a.name() + "; the victim logged in to " + w.site())).orElseGet(FirstContactExercise::noVictim)),
            new Task("victim-username", 2, AnswerKind.TEXT, "the user name the victim typed (exactly)", false,
                    (v, a, e) -> victim(v).map(w -> Judgement.of(a.text().equals(w.username()),
                            "answered '" + a.text() + "'; the victim's user name is '" + w.username() + "'"))
                            .orElseGet(FirstContactExercise::noVictim)),
            new Task("victim-password", 2, AnswerKind.TEXT, "the password the victim typed (exactly)", false,
                    (v, a, e) -> victim(v).map(w -> Judgement.of(a.text().equals(w.password()),
                            "answered '" + a.text() + "'; the victim's password is '" + w.password() + "'"))
                            .orElseGet(FirstContactExercise::noVictim)),
            new Task("forged-issuer", 2, AnswerKind.TEXT, "the common name (CN) of the issuer of a forged leaf", false,
                    (v, a, e) -> issuerCn(v.scenario())
                            .map(cn -> Judgement.of(namesCn(a.text(), cn), "answered '" + a.text() + "'; forged leaves are issued by CN=" + cn))
                            .orElseGet(() -> Judgement.wrong("the scenario's leaves are self-signed, so there is no issuer to name"))),
            new Task("forged-exponent", 2, AnswerKind.INTEGER, "the RSA public exponent of a forged leaf's key", false,
                    (v, a, e) -> {
                        BigInteger expected = v.scenario().forgery().publicExponent();
                        return Judgement.of(a.integer().equals(expected), "answered " + a.integer() + "; the forged keys use e=" + expected);
                    }));

    @Override
    public String id() {
        return "first-contact";
    }

    @Override
    public String title() {
        return "First contact: read a captured login and the forged certificate";
    }

    @Override
    public String scenario() {
        return "kz-2019";
    }

    @Override
    public List<Task> tasks() {
        return tasks;
    }

    private static Optional<Victim> victim(ResolvedScenario v) {
        return v.victim();
    }

    private static Judgement noVictim() {
        return Judgement.wrong("the scenario has no victim, so this task cannot be marked (check the scenario's population)");
    }

    /** The CN of whichever national CA signs the scenario's forged leaves; empty for self-signed leaves. */
    static Optional<String> issuerCn(Scenario s) {
        RootStyle style = RootStyle.byId(s.root());
        return switch (s.forgery().signer()) {
            case ROOT -> Optional.of(style.rootCommonName());
            case INTERMEDIATE -> Optional.of(style == RootStyle.ISCA_2020 ? NationalPki.ISCA_INTERMEDIATE_CN : NationalPki.INTERMEDIATE_CN);
            case SELF -> Optional.empty();
        };
    }

    /** "Security Certificate", or a DN with CN=Security Certificate in it (openssl or RFC 4514 order). */
    static boolean namesCn(String answer, String cn) {
        String a = answer.strip();
        if (a.equalsIgnoreCase(cn)) {
            return true;
        }
        for (String part : a.split("[,/;]")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().toUpperCase(Locale.ROOT).equals("CN")
                    && p.substring(eq + 1).strip().replaceAll("^\"|\"$", "").equalsIgnoreCase(cn)) {
                return true;
            }
        }
        return false;
    }
}
