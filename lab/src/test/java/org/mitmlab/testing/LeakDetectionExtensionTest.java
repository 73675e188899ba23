package org.mitmlab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Proves that {@link LeakDetectionExtension} turns a leaked buffer into a failure. The deliberate
 * leak is found and taken by the test itself (through the same check the after-class callback runs,
 * given a stand-in context), so the real build does not fail on it.
 */
class LeakDetectionExtensionTest {
    /** Generous: a deliberate leak is waited for, not assumed to show up within the after-class budget. */
    private static final Duration WAIT_FOR_DELIBERATE_LEAK = Duration.ofSeconds(15);

    @Test
    void isInstalledBeforeNettyCreatedTheByteBufDetector() {
        assertThat(LeakDetectionExtension.isTrackingByteBufs())
                .as("AbstractByteBuf.leakDetector comes from the extension's factory").isTrue();
        assertThat(ResourceLeakDetectorFactory.instance().getClass().getName())
                .startsWith(LeakDetectionExtension.class.getName());
        assertThat(LeakDetectionExtension.level()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Nested
    class WhenATestLeaksABuffer {
        @Test
        void theCheckFindsTheLeakAndNamesItsRecord() {
            String marker = "deliberate-leak-" + UUID.randomUUID();
            Predicate<LeakDetectionExtension.Leak> ours = leak -> leak.records().contains(marker);

            leakOnePooledBuffer(marker);

            LeakDetectionExtension.forceDetection(WAIT_FOR_DELIBERATE_LEAK, Integer.MAX_VALUE, ours);
            List<LeakDetectionExtension.Leak> found = LeakDetectionExtension.recordedLeaks().stream().filter(ours).toList();
            assertThat(found).as("leak records mentioning %s", marker).hasSize(1);
            LeakDetectionExtension.Leak leak = found.get(0);
            assertThat(leak.resourceType()).isEqualTo("ByteBuf");
            assertThat(leak.traced()).isTrue();
            assertThat(leak.records())
                    .contains("Created at:")
                    .contains(LeakDetectionExtensionTest.class.getName() + ".leakOnePooledBuffer");

            // The after-class callback fails the class, naming the leak record, and consumes the leak.
            assertThatThrownBy(() -> new LeakDetectionExtension().afterAll(contextOf(WhenATestLeaksABuffer.class)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("detected after " + WhenATestLeaksABuffer.class.getName())
                    .hasMessageContaining("LEAK: ByteBuf.release() was not called")
                    .hasMessageContaining(marker);
            assertThat(LeakDetectionExtension.recordedLeaks()).noneMatch(ours);
        }
    }

    @Nested
    class WhenATestReleasesEveryBuffer {
        @Test
        void theCheckPasses() {
            String marker = "released-" + UUID.randomUUID();
            useAndReleaseBuffers(marker);

            assertThatCode(() -> LeakDetectionExtension.verifyNoLeaks("released buffers",
                    leak -> leak.records().contains(marker), Duration.ofSeconds(1), 3))
                    .doesNotThrowAnyException();
            assertThat(LeakDetectionExtension.recordedLeaks()).noneMatch(leak -> leak.records().contains(marker));
        }
    }

    @Test
    void theFailureMessageListsEveryLeak() {
        String message = LeakDetectionExtension.failureMessage("SomeTest", List.of(
                new LeakDetectionExtension.Leak("ByteBuf", "\nRecent access records: \nCreated at:\n\tx.y.Z.m(Z.java:1)"),
                new LeakDetectionExtension.Leak("OpenSslEngine", "")));
        assertThat(message)
                .startsWith("2 Netty resource leaks detected after SomeTest")
                .contains("#1 LEAK: ByteBuf.release() was not called", "x.y.Z.m(Z.java:1)")
                .contains("#2 LEAK: OpenSslEngine.release() was not called", "untraced");
    }

    /** Allocates a tracked buffer, touches it with the marker, and drops it without release(). */
    private static void leakOnePooledBuffer(String marker) {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.heapBuffer(64);
        leaked.writeCharSequence(marker, StandardCharsets.US_ASCII);
        leaked.touch(marker);
        // no release(): the buffer becomes unreachable when this method returns
    }

    private static void useAndReleaseBuffers(String marker) {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(32).touch(marker);
        ByteBuf adaptive = ByteBufAllocator.DEFAULT.buffer(32).touch(marker);
        CompositeByteBuf composite = Unpooled.compositeBuffer().touch(marker);
        try {
            pooled.writeCharSequence(marker, StandardCharsets.US_ASCII);
            adaptive.writeBytes(pooled, pooled.readerIndex(), pooled.readableBytes());
            composite.addComponent(true, adaptive.retain());
            assertThat(composite.toString(StandardCharsets.US_ASCII)).isEqualTo(marker);
        } finally {
            composite.release();
            adaptive.release();
            pooled.release();
        }
        assertThat(pooled.refCnt()).isZero();
        assertThat(adaptive.refCnt()).isZero();
    }

    /** The little of an ExtensionContext the after-class check reads. */
    private static ExtensionContext contextOf(Class<?> testClass) {
        return (ExtensionContext) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getTestClass" -> Optional.of(testClass);
                    case "getRequiredTestClass" -> testClass;
                    case "getDisplayName" -> testClass.getSimpleName();
                    case "toString" -> "ExtensionContext[" + testClass.getName() + "]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
