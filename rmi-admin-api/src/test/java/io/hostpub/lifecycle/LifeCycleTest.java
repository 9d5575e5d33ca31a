package io.hostpub.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostpub.lifecycle.LifeCycle.State;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LifeCycleTest {

    /** Records its calls; fails its start, or closes itself from inside it, on request. */
    static final class Part extends LifeCycle<IOException> {
        final List<String> calls = new ArrayList<>();
        IOException failure;
        boolean closeInsideStart;
        CountDownLatch inStart;
        CountDownLatch release;

        Part() {
            super("part p1");
        }

        @Override
        protected void doStart() throws IOException {
            calls.add("start");
            if (inStart != null) {
                inStart.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (closeInsideStart) {
                close();
            }
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        protected synchronized void doStop() {
            calls.add("stop");
        }
    }

    @Test
    void startThenCloseRunsEachOnceAndCloseIsIdempotent() throws IOException {
        Part part = new Part();
        assertThat(part.state()).isEqualTo(State.NEW);
        part.start();
        assertThat(part.isRunning()).isTrue();
        part.close();
        part.close();
        assertThat(part.state()).isEqualTo(State.STOPPED);
        assertThat(part.calls).containsExactly("start", "stop");
        assertThatThrownBy(part::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("part p1 cannot be started more than once");
    }

    @Test
    void aFailedStartReleasesOnceIsFailedAndRethrowsTheCheckedException() {
        Part part = new Part();
        part.failure = new IOException("port taken");
        assertThatThrownBy(part::start).isSameAs(part.failure);
        assertThat(part.state()).isEqualTo(State.FAILED);
        part.close();
        assertThat(part.calls).containsExactly("start", "stop");
        assertThat(part.isStopped()).isTrue();
    }

    @Test
    void closingANewPartOpensNothingAndForbidsAStart() {
        Part part = new Part();
        part.close();
        assertThat(part.state()).isEqualTo(State.STOPPED);
        assertThat(part.calls).isEmpty();
        assertThatThrownBy(part::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCloseFromInsideTheStartStopsThePartAtOnce() throws IOException {
        Part part = new Part();
        part.closeInsideStart = true;
        part.start();
        assertThat(part.state()).isEqualTo(State.STOPPED);
        assertThat(part.calls).containsExactly("start", "stop");
    }

    @Test
    void aCloseFromAnotherThreadDuringTheStartWaitsForItAndThenStops() throws Exception {
        Part part = new Part();
        part.inStart = new CountDownLatch(1);
        part.release = new CountDownLatch(1);
        Thread starter = NamedThreads.start("test-starter", () -> {
            try {
                part.start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(part.inStart.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = NamedThreads.start("test-closer", part::close);
        closer.join(200);
        assertThat(closer.isAlive()).as("close waits while doStart runs").isTrue();
        assertThat(part.calls).containsExactly("start");
        part.release.countDown();
        starter.join(10_000);
        closer.join(10_000);
        assertThat(part.state()).isEqualTo(State.STOPPED);
        assertThat(part.calls).containsExactly("start", "stop");
    }

    @Test
    void threadsAreNamedDaemons() throws InterruptedException {
        Thread thread = new NamedThreads("agent-n1-events").newThread(() -> { });
        assertThat(thread.getName()).isEqualTo("hostpub-agent-n1-events-1");
        assertThat(thread.isDaemon()).isTrue();
        Thread single = NamedThreads.start("jetty-8081-election", () -> { });
        single.join();
        assertThat(single.getName()).isEqualTo("hostpub-jetty-8081-election");
    }
}
