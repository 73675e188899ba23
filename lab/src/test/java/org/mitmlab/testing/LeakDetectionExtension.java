package org.mitmlab.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "A leaked buffer fails the build." Registered for every test class through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and
 * {@code junit.jupiter.extensions.autodetection.enabled=true}.
 *
 * <p>Its static initialiser runs when JUnit instantiates the autodetected extensions, before any test
 * class is initialised; it installs a {@link ResourceLeakDetectorFactory} whose detectors record every
 * reported leak (and still log it, as Netty does). Netty creates its detectors in static initialisers
 * ({@code AbstractByteBuf.leakDetector}, the OpenSSL engine and context, HashedWheelTimer, ...), so the
 * factory must be in place before those classes are first used; {@link #isTrackingByteBufs()} says
 * whether that worked (if Netty was initialised first, a {@link ResourceLeakDetector.LeakListener} on
 * the existing ByteBuf detector is the fallback).
 *
 * <p>After each test class (including {@code @Nested} ones) it forces detection: a few full GCs, then
 * allocations and releases of pooled and unpooled buffers and a forced track on every detector, which
 * makes each detector drain its reference queue; bounded to about one second. Any leak recorded by
 * then fails the class, with Netty's leak record (where the buffer was created and last touched) in
 * the message. Run with {@code -Dio.netty.leakDetection.level=paranoid} (the Maven build does) so that
 * every buffer is tracked; without a level set, this extension selects PARANOID itself.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {
    private static final Logger log = LoggerFactory.getLogger(LeakDetectionExtension.class);

    /** How long the after-class check may spend forcing detection. */
    public static final Duration CHECK_BUDGET = Duration.ofSeconds(1);
    /** GC-and-drain rounds of the after-class check (it stops early once a leak is seen). */
    static final int CHECK_ROUNDS = 3;

    private static final List<Leak> LEAKS = new CopyOnWriteArrayList<>();
    private static final List<RecordingDetector<?>> DETECTORS = new CopyOnWriteArrayList<>();
    private static final boolean TRACKING_BYTE_BUFS;

    static {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        TRACKING_BYTE_BUFS = verifyByteBufDetector();
    }

    /** One leak Netty reported: the resource type ("ByteBuf", ...) and its record (empty if untraced). */
    public record Leak(String resourceType, String records) {
        public Leak {
            Objects.requireNonNull(resourceType, "resourceType");
            records = records == null ? "" : records;
        }

        public boolean traced() {
            return !records.isEmpty();
        }

        @Override
        public String toString() {
            return "LEAK: " + resourceType + ".release() was not called before it was garbage-collected."
                    + (traced() ? records : " (untraced: run with -Dio.netty.leakDetection.level=paranoid to see where)");
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Nothing to set up: the static initialiser did the work when JUnit instantiated this extension.
        // Implemented so that a class declaring @ExtendWith(LeakDetectionExtension.class) also triggers it.
    }

    @Override
    public void afterAll(ExtensionContext context) {
        verifyNoLeaks(scopeOf(context), leak -> true, CHECK_BUDGET, CHECK_ROUNDS);
    }

    /** True when the leak detector of every ByteBuf is one of this extension's (installed early enough). */
    public static boolean isTrackingByteBufs() {
        return TRACKING_BYTE_BUFS;
    }

    /** The current level Netty's detectors run at. */
    public static ResourceLeakDetector.Level level() {
        return ResourceLeakDetector.getLevel();
    }

    /** The leaks recorded and not yet taken by a check, oldest first. */
    public static List<Leak> recordedLeaks() {
        return List.copyOf(LEAKS);
    }

    /**
     * Forces leak detection (GC, then a drain of every detector's reference queue), round after round
     * until {@code rounds} are done, {@code budget} is spent, or a recorded leak matches {@code stopWhen}.
     * Leaves the recorded leaks in place; returns those recorded so far.
     */
    public static List<Leak> forceDetection(Duration budget, int rounds, Predicate<? super Leak> stopWhen) {
        long deadline = System.nanoTime() + budget.toNanos();
        for (int round = 0; round < rounds; round++) {
            ReferenceQueue<Object> gcDone = new ReferenceQueue<>();
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), gcDone);
            System.gc();
            System.gc();
            try {
                // The sentinel is cleared by the same collection that cleared the leaked buffers' trackers;
                // once the Reference Handler has enqueued it, it is busy with (or done with) theirs too.
                long waitMs = Math.max(1, Math.min(250, (deadline - System.nanoTime()) / 1_000_000));
                gcDone.remove(waitMs);
                Thread.sleep(Math.max(0, Math.min(10, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            drainDetectors();
            Objects.requireNonNull(sentinel); // keep the sentinel object itself reachable until here
            if (LEAKS.stream().anyMatch(stopWhen) || System.nanoTime() - deadline >= 0) {
                break;
            }
        }
        return recordedLeaks();
    }

    /** Removes the recorded leaks that match {@code which} and returns them. */
    public static List<Leak> takeLeaks(Predicate<? super Leak> which) {
        List<Leak> taken = new ArrayList<>();
        for (Leak leak : LEAKS) {
            if (which.test(leak) && LEAKS.remove(leak)) {
                taken.add(leak);
            }
        }
        return taken;
    }

    /** The after-class check: forces detection, takes the leaks matching {@code which}, fails if there are any. */
    public static void verifyNoLeaks(String scope, Predicate<? super Leak> which, Duration budget, int rounds) {
        forceDetection(budget, rounds, which);
        List<Leak> leaks = takeLeaks(which);
        if (!leaks.isEmpty()) {
            throw new AssertionError(failureMessage(scope, leaks));
        }
    }

    static String failureMessage(String scope, List<Leak> leaks) {
        StringBuilder sb = new StringBuilder();
        sb.append(leaks.size()).append(leaks.size() == 1 ? " Netty resource leak" : " Netty resource leaks")
                .append(" detected after ").append(scope)
                .append(" (a reference-counted object was garbage-collected without release()):");
        int i = 1;
        for (Leak leak : leaks) {
            sb.append(System.lineSeparator()).append("#").append(i++).append(' ').append(leak);
        }
        return sb.toString();
    }

    private static String scopeOf(ExtensionContext context) {
        return context.getTestClass().map(Class::getName).orElseGet(context::getDisplayName);
    }

    /** Makes every detector poll its reference queue, reporting what the last GC found. */
    private static void drainDetectors() {
        // Ordinary allocations: in PARANOID each one drains the ByteBuf detector first.
        release(PooledByteBufAllocator.DEFAULT.heapBuffer(16));
        release(PooledByteBufAllocator.DEFAULT.directBuffer(16));
        release(UnpooledByteBufAllocator.DEFAULT.directBuffer(16));
        release(Unpooled.directBuffer(16));
        // Every detector made by the factory (also the ones of other resource types and at lower levels).
        for (RecordingDetector<?> d : DETECTORS) {
            d.drain();
        }
    }

    private static void release(ByteBuf buf) {
        buf.writeByte(0);
        buf.release();
    }

    private static void record(String resourceType, String records) {
        LEAKS.add(new Leak(resourceType, records));
    }

    /** Forces AbstractByteBuf's initialisation and checks whose detector it took. */
    private static boolean verifyByteBufDetector() {
        try {
            Class<?> abstractByteBuf = Class.forName("io.netty.buffer.AbstractByteBuf", true,
                    ByteBuf.class.getClassLoader());
            Field field = abstractByteBuf.getDeclaredField("leakDetector");
            field.setAccessible(true);
            Object detector = field.get(null);
            if (detector instanceof RecordingDetector) {
                return true;
            }
            if (detector instanceof ResourceLeakDetector) {
                log.warn("Netty's ByteBuf leak detector was created before LeakDetectionExtension installed its factory;"
                        + " falling back to a leak listener on {}", detector.getClass().getName());
                ((ResourceLeakDetector<?>) detector).setLeakListener(LeakDetectionExtension::record);
            }
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("cannot inspect Netty's ByteBuf leak detector; relying on the factory alone", e);
            return false;
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation") // abstract in Netty 4.2, though deprecated: maxActive is ignored there too
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return newResourceLeakDetector(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            RecordingDetector<T> detector = new RecordingDetector<>(resource, samplingInterval);
            DETECTORS.add(detector);
            return detector;
        }
    }

    /** Netty's detector, recording each reported leak before logging it as usual. */
    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        private final Object probe = new Object();

        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true; // report (and so record) even when Netty's logger has ERROR disabled
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record(resourceType, records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record(resourceType, "");
            super.reportUntracedLeak(resourceType);
        }

        /** A forced track polls the reference queue; the probe's own tracker is closed at once. */
        @SuppressWarnings("unchecked")
        void drain() {
            T p = (T) probe; // erased: the detector never looks at the type of what it tracks
            ResourceLeakTracker<T> tracker = trackForcibly(p);
            if (tracker != null) {
                tracker.close(p);
            }
        }
    }
}
