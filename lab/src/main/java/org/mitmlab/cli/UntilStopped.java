package org.mitmlab.cli;

import java.util.concurrent.CountDownLatch;

/** Blocks a long-running command until Ctrl-C or SIGTERM, then runs its clean-up once. */
final class UntilStopped {
    private UntilStopped() {
    }

    static void await(Runnable cleanUp) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cleanUp.run();
            } finally {
                stopped.countDown();
            }
        }, "mitmlab-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
