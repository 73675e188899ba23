package org.mitmlab.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file named by a command's {@code --out FILE}, checked and written the same way by every command.
 * A missing directory is an error rather than created, so a typo in the path does not leave a tree of
 * directories behind; the file appears whole or not at all, so a failed export never leaves half a
 * file where the previous one was.
 */
final class OutputFile {
    /** Who may read the file once written. */
    enum Readers {
        /** Certificates, handouts: public material that other users and tools (a container, root's trust store) read. */
        EVERYONE,
        /** What the interceptor read, e.g. captured passwords in a HAR: the owner only. */
        OWNER
    }

    /** Writes the content to the path it is given. */
    @FunctionalInterface
    interface Content {
        void writeTo(Path file) throws IOException;
    }

    private OutputFile() {
    }

    /**
     * Checks that {@code out} can be a file here, before any slow or irreversible step; {@code example}
     * is a file name to suggest when {@code out} is a directory.
     */
    static Path check(Path out, String option, String example) {
        Path target = out.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            throw UserError.of(option + " " + out + " is a directory: give a file name, e.g. "
                    + out.resolve(example));
        }
        if (!Files.isDirectory(target.getParent())) {
            throw UserError.of("the directory of " + option + " " + out + " does not exist: create it or choose another path");
        }
        return target;
    }

    /** Checks {@code out}, then writes it through a temporary file in the same directory, readable by {@code readers}. */
    static Path write(Path out, String option, String example, Readers readers, Content content) {
        Path target = check(out, option, example);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp"); // created 0600
            content.writeTo(tmp);
            if (readers == Readers.EVERYONE && Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw UserError.of("cannot write " + out + " (" + e.getMessage() + "): choose another " + option, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move already succeeded or the error above says what went wrong
                }
            }
        }
    }
}
