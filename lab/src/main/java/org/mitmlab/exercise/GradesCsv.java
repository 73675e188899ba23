package org.mitmlab.exercise;

import java.util.List;

/** grades.csv: one row per task (student, exercise, task, marks, max, reason), RFC 4180 quoting and CRLF. */
public final class GradesCsv {
    static final String HEADER = "student,exercise,task,marks,max,reason";

    private GradesCsv() {
    }

    public static String format(List<GradedFile> graded) {
        StringBuilder b = new StringBuilder(HEADER).append("\r\n");
        for (GradedFile g : graded) {
            for (TaskMark m : g.marks()) {
                b.append(field(g.student())).append(',').append(field(g.exercise())).append(',').append(field(m.task()))
                        .append(',').append(m.marks()).append(',').append(m.max()).append(',').append(field(m.reason())).append("\r\n");
            }
        }
        return b.toString();
    }

    /** Quoted when it holds a comma, a quote or a line break; quotes inside are doubled. */
    static String field(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
