package io.hostpub.coordinator.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.api.RequestSigner;
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

    final RequestSigner signer = new RequestSigner(InstallationSecret.of(new byte[32]), Clock.systemUTC());

    private WatchSocket parent() throws java.io.IOException {
        return WatchSocket.open(InetAddress.getLoopbackAddress(), "test", signer, Clock.systemUTC());
    }

    private static String endpoint(WatchSocket parent) {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + parent.port();
    }

    /** A parent that polled once, with a 10 minute silence timeout: only the link can make the watch act. */
    private ParentWatch watch(CoordinatorStore store, WatchSocket parent, AtomicInteger starts) {
        return watch(store, parent, starts, Duration.ofMinutes(10), Duration.ofMinutes(10));
    }

    private ParentWatch watch(CoordinatorStore store, WatchSocket parent, AtomicInteger starts, Duration timeout,
            Duration hungAfter) {
        Instant polled = Instant.now();
        return ParentWatch.watch("n1", "local/l1", () -> Optional.of(polled), () -> Optional.of(endpoint(parent)),
                new ParentSilence(timeout, hungAfter, signer), Duration.ZERO, store,
                () -> "start " + starts.incrementAndGet(), Clock.systemUTC(), new Random(1));
    }

    @Test
    void aParentWhoseSocketTheKernelClosesIsReplacedAtOnce() throws Exception {
        try (CoordinatorStore store = JournalStore.open(home)) {
            AtomicInteger starts = new AtomicInteger();
            WatchSocket parent = parent();
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
            WatchSocket parent = parent();
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
        assertThat(ParentRestartPacing.backoff(0.999, max, 0)).isLessThan(125);
        assertThat(ParentRestartPacing.backoff(0.0, max, 1)).isEqualTo(250);
        assertThat(ParentRestartPacing.backoff(0.0, max, 100)).isEqualTo(2 * 125 * ParentRestartPacing.MAX_PENALTIES);
    }

    @Test
    void eachLaunchInARowWhoseParentNeverPolledDoublesTheNextLaunchGrace() {
        Duration poll = Duration.ofMillis(500);
        assertThat(ParentRestartPacing.launchGrace(poll, 0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(ParentRestartPacing.launchGrace(poll, 1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(ParentRestartPacing.launchGrace(poll, 2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(ParentRestartPacing.launchGrace(poll, 3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(ParentRestartPacing.launchGrace(poll, 50)).isEqualTo(Duration.ofSeconds(40));
        assertThat(ParentRestartPacing.launchGrace(Duration.ofSeconds(8), 1)).isEqualTo(Duration.ofSeconds(16));
    }

    @Test
    void aChildWhoseStartedParentNeverPolledLetsAnotherChildStartTheNextOne() throws Exception {
        try (CoordinatorStore store = JournalStore.open(home)) {
            // a parent that polled once, long ago, and is silent from then on; nothing either child starts ever polls
            Instant polled = Instant.now();
            java.util.List<String> starts = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (ParentWatch n1 = ParentWatch.watch("n1", "local/l1", () -> Optional.of(polled), Optional::empty,
                    silence(200), Duration.ofMillis(100), store, () -> add(starts, "n1"), Clock.systemUTC(),
                    new Random(1));
                    ParentWatch n2 = ParentWatch.watch("n2", "local/l1", () -> Optional.of(polled), Optional::empty,
                            silence(200), Duration.ofMillis(100), store, () -> add(starts, "n2"),
                            Clock.systemUTC(), new Random(2))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> starts.size() >= 2);
                assertThat(starts.get(1)).as("the second start, after %s", starts).isNotEqualTo(starts.get(0));
            }
        }
    }

    /**
     * A silent parent whose position a live coordinator still holds (its status answers: on a lossy network its polls
     * are what is slow) is not fenced off: no notice, no start. Once nothing answers, the child starts one.
     */
    @Test
    void aSilentParentWhoseHolderAnswersIsNeitherFencedOffNorReplaced() throws Exception {
        try (CoordinatorStore store = JournalStore.open(home)) {
            Instant polled = Instant.now();
            AtomicInteger starts = new AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean answers = new java.util.concurrent.atomic.AtomicBoolean(true);
            ParentSilence silence = new ParentSilence(Duration.ofMillis(200), Duration.ofMillis(200), signer,
                    () -> answers.get() ? Optional.of("coordinator pid 42 on node n2 holds local/l1") : Optional.empty());
            try (ParentWatch watch = ParentWatch.watch("n1", "local/l1", () -> Optional.of(polled), Optional::empty,
                    silence, Duration.ZERO, store, () -> "start " + starts.incrementAndGet(), Clock.systemUTC(),
                    new Random(1))) {
                // several silence timeouts: each check finds the holder answering
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> starts.get() == 0);
                assertThat(store.current(Monitor.scope("local/l1"))).as("no notice taken").isEmpty();
                answers.set(false);
                await().atMost(Duration.ofSeconds(30)).until(() -> starts.get() == 1);
            }
        }
    }

    private ParentSilence silence(long millis) {
        return new ParentSilence(Duration.ofMillis(millis), Duration.ofMillis(millis), signer);
    }

    /**
     * A parent whose process lives (its link is open) is slow, not dead: silence alone replaces it only once it
     * outlasts hungAfter (a child resumed from a stall once started a second parent beside a healthy one).
     */
    @Test
    void aSilentParentWhoseLinkIsOpenIsReplacedOnlyOnceItCountsAsHung() throws Exception {
        try (CoordinatorStore store = JournalStore.open(home); WatchSocket parent = parent()) {
            AtomicInteger starts = new AtomicInteger();
            long begin = System.nanoTime();
            try (ParentWatch watch = watch(store, parent, starts, Duration.ofMillis(200), Duration.ofSeconds(2))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> parent.watchers() == 1);
                assertThat(parent.linkOpen("n1")).as("the monitor knows whose link it is").isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> starts.get() == 1);
                assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("hung, not merely silent for 200 ms")
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !parent.linkOpen("n1"));
        }
    }

    /** Whose link a connection is must be proven: bad, foreign, replayed, trailing or missing greetings are cut. */
    @Test
    void onlyAValidFreshGreetingLinksAChild() throws Exception {
        try (WatchSocket parent = parent()) {
            byte[] valid = WatchGreeting.of(signer, "n1", endpoint(parent));
            RequestSigner foreign = new RequestSigner(InstallationSecret.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                    11, 12, 13, 14, 15, 16}), Clock.systemUTC());
            byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 1);
            trailing[valid.length] = 'x';
            for (byte[] bad : java.util.List.of("hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    WatchGreeting.of(foreign, "n1", endpoint(parent)),
                    WatchGreeting.of(signer, "n1", "127.0.0.9:1"), trailing, new byte[WatchGreeting.MAX_BYTES + 1])) {
                try (java.net.Socket socket = connect(parent)) {
                    socket.getOutputStream().write(bad);
                    assertThat(closedByMonitor(socket)).as("closed by the monitor").isTrue();
                }
            }
            try (java.net.Socket first = connect(parent)) {
                first.getOutputStream().write(valid);
                await().atMost(Duration.ofSeconds(10)).until(() -> parent.linkOpen("n1"));
                try (java.net.Socket replay = connect(parent)) {
                    replay.getOutputStream().write(valid);
                    assertThat(closedByMonitor(replay)).as("a replayed greeting").isTrue();
                }
                try (java.net.Socket silent = connect(parent)) {
                    assertThat(closedByMonitor(silent)).as("no greeting within the deadline").isTrue();
                }
                assertThat(parent.watchers()).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> parent.watchers() == 0);
        }
    }

    /** The end of the stream, or a reset when the monitor closed with bytes of ours unread. */
    private static boolean closedByMonitor(java.net.Socket socket) throws java.io.IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private static java.net.Socket connect(WatchSocket parent) throws java.io.IOException {
        java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), parent.port());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static String add(java.util.List<String> starts, String child) {
        starts.add(child);
        return "start by " + child;
    }
}
