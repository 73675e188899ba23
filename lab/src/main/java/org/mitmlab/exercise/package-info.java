/**
 * Exercises and grading. An {@link org.mitmlab.exercise.Exercise} runs on one scenario and has
 * ordered {@link org.mitmlab.exercise.Task}s; each task names the kind of answer it takes
 * ({@link org.mitmlab.exercise.AnswerKind}) and marks it against the student's
 * {@link org.mitmlab.scenario.ResolvedScenario} (and, for evidence, the student's events file).
 *
 * <p>The student's side: the lab writes an answer file ({@link org.mitmlab.exercise.AnswerTemplate})
 * carrying a token derived from the student's key; {@code mitmlab check} runs
 * {@link org.mitmlab.exercise.AnswerCheck}, which checks shape only and never says whether an
 * answer is right. The instructor's side: {@code mitmlab grade} runs the
 * {@link org.mitmlab.exercise.Grader}, which re-derives each student's variant from the secret,
 * checks the token and marks every task; {@link org.mitmlab.exercise.GradesCsv} and
 * {@link org.mitmlab.exercise.GradesMarkdown} format the result.
 */
package org.mitmlab.exercise;
