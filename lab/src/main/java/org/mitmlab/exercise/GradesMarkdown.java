package org.mitmlab.exercise;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** grades.md: a section per student, and per exercise a table of tasks with marks and reasons and a total. */
public final class GradesMarkdown {
    private GradesMarkdown() {
    }

    /** {@code graded} as {@link Grader#grade} returns it (sorted by student). */
    public static String format(List<GradedFile> graded) {
        Map<String, List<GradedFile>> byStudent = new LinkedHashMap<>();
        graded.forEach(g -> byStudent.computeIfAbsent(g.student(), k -> new java.util.ArrayList<>()).add(g));
        StringBuilder b = new StringBuilder("# Grades\n");
        for (Map.Entry<String, List<GradedFile>> e : byStudent.entrySet()) {
            b.append("\n## ").append(cell(e.getKey())).append('\n');
            for (GradedFile g : e.getValue()) {
                b.append("\n### ").append(cell(g.exercise())).append(": ").append(g.total()).append('/').append(g.max()).append("\n\n");
                b.append("File: `").append(g.file().getFileName()).append("`\n\n");
                b.append("| Task | Marks | Max | Reason |\n|---|---:|---:|---|\n");
                for (TaskMark m : g.marks()) {
                    b.append("| ").append(cell(m.task())).append(" | ").append(m.marks()).append(" | ").append(m.max()).append(" | ")
                            .append(cell(m.reason())).append(" |\n");
                }
                b.append("| **Total** | **").append(g.total()).append("** | **").append(g.max()).append("** | |\n");
            }
        }
        return b.toString();
    }

    /** Table cells cannot hold '|' or line breaks. */
    static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replaceAll("[\r\n]+", " ");
    }
}
