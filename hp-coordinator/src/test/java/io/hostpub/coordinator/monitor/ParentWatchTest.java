package io.hostpub.coordinator.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.JournalStore;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upward restart without waiting for the poll timeout: a child linked to its parent's death-watch socket starts a
 * new parent when the kernel closes the link, but not when the parent says goodbye (superseded or stopped).
 */
class ParentWatchTest {

    @TempDir
    Path home;

    /** A parent that polled once, with a 10 minute silence timeout: only the link can make the watch act. */
    private ParentWatch watch(CoordinatorStore store, WatchSocket parent, AtomicInteger starts) {
        String endpoint = InetAddress.getLoopbackAddress().getHostAddress() + ":" + parent.port();
        Instant polled = Instant.now();
        return ParentWatch.watch("n1", "local/l1", () -> Optional.of(polled), () -> Optional.of(endpoint),
                Duration.ofMinutes(10), Duration.ZERO, store, () -> "start " + starts.incrementAndGet(),
                Clock.systemUTC(), new Random(1));
    }

    @Test
    void aParentWhoseSocketTheKernelClosesIsReplacedAtOnce() throws Exception {
        try (CoordinatorStore store = JournalStore.open(home)) {
            AtomicInteger starts = new AtomicInteger();
            WatchSocket parent = WatchSocket.open(InetAddress.getLoopbackAddress(), "test");
            try (ParentWatch watch = watch(store, parent, starts)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> parent.watchers() == 1);
                parent.close(); // no farewell: as the kernel closes a killed process's sockets
                await().atMost(Duration.ofSeconds(10)).until(() -> starts.get() == 1);
                assertThat(store.current(Monitor.scope("local/l1")).orElseThrow().holder())
                        .as("the notice taken before starting").contains("n1 starts a new monitor");
            }
        }
    }

    @Test
    void aParentThatLeavesOnPurposeIsNotRestartedByTheLink() throws Exception {
        try (CoordinatorStore store = JournalStore.open(home)) {
            AtomicInteger starts = new AtomicInteger();
            WatchSocket parent = WatchSocket.open(InetAddress.getLoopbackAddress(), "test");
            try (ParentWatch watch = watch(store, parent, starts)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> parent.watchers() == 1);
                parent.close(WatchSocket.SUPERSEDED);
                // nothing may happen: a second is many times the link's reaction time
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> starts.get() == 0);
                assertThat(store.current(Monitor.scope("local/l1"))).isEmpty();
            }
        }
    }

    @Test
    void theBackOffOfAChildWhoseStartedParentNeverPolledComesAfterEveryOtherDraw() {
        Duration max = Duration.ofMillis(125);
        assertThat(ParentWatch.backoff(0.999, max, 0)).isLessThan(125);
        assertThat(ParentWatch.backoff(0.0, max, 1)).isEqualTo(250);
        assertThat(ParentWatch.backoff(0.0, max, 100)).isEqualTo(2 * 125 * ParentWatch.MAX_PENALTIES);
    }

    @Test
    void aChildWhoseStartedParentNeverPolledLetsAnotherChildStartTheNextOne() throws Exception {
        try (CoordinatorStore store = JournalStore.open(home)) {
            // a parent that polled once, long ago, and is silent from then on; nothing either child starts ever polls
            Instant polled = Instant.now();
            java.util.List<String> starts = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (ParentWatch n1 = ParentWatch.watch("n1", "local/l1", () -> Optional.of(polled), Optional::empty,
                    Duration.ofMillis(200), Duration.ofMillis(100), store, () -> add(starts, "n1"), Clock.systemUTC(),
                    new Random(1));
                    ParentWatch n2 = ParentWatch.watch("n2", "local/l1", () -> Optional.of(polled), Optional::empty,
                            Duration.ofMillis(200), Duration.ofMillis(100), store, () -> add(starts, "n2"),
                            Clock.systemUTC(), new Random(2))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> starts.size() >= 2);
                assertThat(starts.get(1)).as("the second start, after %s", starts).isNotEqualTo(starts.get(0));
            }
        }
    }

    private static String add(java.util.List<String> starts, String child) {
        starts.add(child);
        return "start by " + child;
    }
}
