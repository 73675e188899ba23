package org.mitmlab.dashboard;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.mitmlab.event.Decision;

/**
 * The flow table of {@code mitmlab watch}: one line per {@link FlowRow}, printed once, when it is
 * settled (an intercepted connection is printed with its first request, or when the client rejects
 * the forged certificate). Colours, when on, follow the dashboard: intercepted red, client rejected
 * magenta, passed through green, refused yellow, plain HTTP cyan; captured form fields stand out.
 *
 * <pre>
 * TIME      CLIENT                 DOMAIN                DECISION        METHOD  PATH                 STATUS     SIZE
 * 14:02:11  127.0.0.1:53122        mail.ru               intercepted     POST    /login [form: password, username]   200  1.2 kB
 * </pre>
 */
public final class WatchView {
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";
    private static final String BOLD_RED = "\u001b[1;31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String BOLD_MAGENTA = "\u001b[1;35m";
    private static final String CYAN = "\u001b[36m";
    private static final String FORM = "\u001b[1;30;43m"; // black on yellow: what the box operator reads
    private static final int MAX_REMEMBERED = 100_000;

    private final PrintWriter out;
    private final boolean colour;
    private final int width;
    private final DateTimeFormatter time;
    private final Set<String> printed = new LinkedHashSet<>();

    /**
     * @param width terminal columns; the path (or the detail) gets what the fixed columns leave
     */
    public WatchView(PrintWriter out, boolean colour, int width, ZoneId zone) {
        this.out = out;
        this.colour = colour;
        this.width = Math.max(80, width);
        this.time = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
    }

    public void header() {
        String h = String.format(Locale.ROOT, "%-8s  %-21s  %-22s  %-14s  %-6s  %-" + pathWidth() + "s  %6s  %8s",
                "TIME", "CLIENT", "DOMAIN", "DECISION", "METHOD", "PATH / WHAT HAPPENED", "STATUS", "SIZE");
        out.println(colour ? BOLD + h + RESET : h);
        out.flush();
    }

    /**
     * Prints {@code row} unless a row with its id was printed (or skipped) already, or it is pending
     * and {@code evenPending} is false; true when printed.
     */
    public boolean print(FlowRow row, boolean evenPending) {
        if ((row.pending() && !evenPending) || !remember(row.id())) {
            return false;
        }
        String decision = decisionText(row);
        String what = whatHappened(row);
        int pw = pathWidth();
        String formTag = row.formFields() > 0 ? " [form: " + formNames(row) + "]" : "";
        String pathCell = fit(what + formTag, pw);
        String line = String.format(Locale.ROOT, "%-8s  %-21s  %-22s  ", time.format(row.time()), fit(nz(row.client()), 21),
                fit(nz(row.domain()), 22));
        StringBuilder sb = new StringBuilder(line);
        sb.append(paint(colourOf(row), String.format(Locale.ROOT, "%-14s", decision)));
        sb.append("  ").append(String.format(Locale.ROOT, "%-6s", fit(row.method() == null ? "" : row.method(), 6))).append("  ");
        if (colour && !formTag.isEmpty() && pathCell.length() > what.length()) {
            sb.append(pathCell, 0, what.length()).append(FORM).append(pathCell.substring(what.length()).stripTrailing())
                    .append(RESET).append(" ".repeat(pw - pathCell.stripTrailing().length()));
        } else if (colour && row.method() == null) {
            sb.append(DIM).append(pathCell).append(RESET);
        } else {
            sb.append(pathCell);
        }
        sb.append("  ").append(String.format(Locale.ROOT, "%6s", row.status() > 0 ? Integer.toString(row.status()) : ""));
        sb.append("  ").append(String.format(Locale.ROOT, "%8s", row.size() >= 0 ? humanBytes(row.size()) : ""));
        out.println(sb.toString().stripTrailing());
        out.flush();
        return true;
    }

    /** Never prints a row with this id (a row too old to show, whose later changes should not appear either). */
    public void skip(String id) {
        remember(id);
    }

    private boolean remember(String id) {
        if (!printed.add(id)) {
            return false;
        }
        if (printed.size() > MAX_REMEMBERED) {
            printed.remove(printed.iterator().next());
        }
        return true;
    }

    public void note(String text) {
        out.println(colour ? DIM + text + RESET : text);
        out.flush();
    }

    private int pathWidth() {
        // time 8, client 21, domain 22, decision 14, method 6, status 6, size 8, and two spaces between each
        return Math.max(20, width - (8 + 21 + 22 + 14 + 6 + 6 + 8 + 2 * 7));
    }

    static String decisionText(FlowRow row) {
        if (FlowRow.REJECTED.equals(row.outcome())) {
            return "rejected";
        }
        if (FlowRow.FAILED.equals(row.outcome())) {
            return "failed";
        }
        return row.decisionLabel();
    }

    static String whatHappened(FlowRow row) {
        if (row.path() != null) {
            return row.path();
        }
        if (FlowRow.REJECTED.equals(row.outcome())) {
            return "client refused the forged certificate (" + alertOf(row.detail()) + ")";
        }
        if (FlowRow.FAILED.equals(row.outcome())) {
            return nz(row.detail());
        }
        if (FlowRow.NO_REQUEST.equals(row.outcome())) {
            return "closed without a request";
        }
        if (row.pending()) {
            return "waiting for the first request";
        }
        if (row.decision() == Decision.PASS_THROUGH) {
            return "encrypted: the box cannot read it";
        }
        if (row.decision() == Decision.REFUSE) {
            return nz(row.detail());
        }
        return nz(row.detail());
    }

    private static String alertOf(String detail) {
        if (detail == null) {
            return "?";
        }
        int colon = detail.indexOf(':');
        return colon > 0 ? detail.substring(0, colon) : detail;
    }

    private static String formNames(FlowRow row) {
        String d = nz(row.detail());
        int i = d.indexOf("form fields read by the box: ");
        return i < 0 ? row.formFields() + " fields" : d.substring(i + "form fields read by the box: ".length());
    }

    private String colourOf(FlowRow row) {
        if (FlowRow.REJECTED.equals(row.outcome())) {
            return BOLD_MAGENTA;
        }
        if (FlowRow.FAILED.equals(row.outcome())) {
            return DIM;
        }
        if (row.decision() == null) {
            return "";
        }
        return switch (row.decision()) {
            case INTERCEPT -> BOLD_RED;
            case PASS_THROUGH -> GREEN;
            case REFUSE -> YELLOW;
            case PLAIN_HTTP -> CYAN;
        };
    }

    private String paint(String code, String text) {
        return colour && !code.isEmpty() ? code + text + RESET : text;
    }

    private static String fit(String s, int width) {
        String one = s.replaceAll("[\\r\\n\\t]", " ").replaceAll("\\p{Cntrl}", "?");
        if (one.length() > width) {
            return one.substring(0, Math.max(0, width - 1)) + "…";
        }
        return String.format(Locale.ROOT, "%-" + width + "s", one);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String humanBytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", n / 1000.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", n / 1_000_000.0);
    }
}
