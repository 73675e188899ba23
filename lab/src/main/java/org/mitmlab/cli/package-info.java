/**
 * The {@code mitmlab} command line (picocli): one class per subcommand, a shared
 * {@link org.mitmlab.cli.StateDirOption} mixin so every command finds a running lab the same way,
 * and {@link org.mitmlab.cli.Main}, which maps {@link org.mitmlab.cli.UserError}s to one-line
 * messages and named exit codes (stack traces only with {@code --verbose}).
 * {@link org.mitmlab.cli.BrowserCommand} is the one command that starts another program the student
 * sees: Chromium, with a throw-away profile and trust store, pointed at the running lab.
 */
package org.mitmlab.cli;
