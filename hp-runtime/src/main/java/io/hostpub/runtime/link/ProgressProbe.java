package io.hostpub.runtime.link;

import io.hostpub.admin.api.wire.Message;
import io.hostpub.runtime.metrics.RuntimeMetrics;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Hang detection for one link (off unless {@code progressProbeMs > 0}). Socket close catches a crash at
 * once, not a hung process: every period this side sends PROBE; the peer answers PROBE_ACK only after the
 * answer has passed through its real work path. A peer silent for two periods is declared dead, which
 * closes the link and so takes the ordinary death path.
 */
public final class ProgressProbe implements AutoCloseable {

    private final LinkSocket link;
    private final long periodNanos;
    private final Consumer<String> declareDead;
    private final AtomicLong sequence = new AtomicLong();
    private volatile long lastAnswerNanos = System.nanoTime();
    private volatile long lastSentNanos;
    private final ScheduledFuture<?> task;
    private final RuntimeMetrics metrics;

    public ProgressProbe(ScheduledExecutorService scheduler, LinkSocket link, long periodMs,
            Consumer<String> declareDead, RuntimeMetrics metrics) {
        this.link = link;
        this.metrics = metrics;
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMs);
        this.declareDead = declareDead;
        this.task = scheduler.scheduleAtFixedRate(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long silentNanos = System.nanoTime() - lastAnswerNanos;
        if (silentNanos > 2 * periodNanos) {
            task.cancel(false);
            declareDead.accept("no progress answer for " + TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms");
            link.close();
            return;
        }
        long seq = sequence.incrementAndGet();
        lastSentNanos = System.nanoTime();
        link.trySend(new Message.Probe(seq));
    }

    /** The peer answered; the answer to the latest probe gives its round trip. */
    public void answered(long seq) {
        long now = System.nanoTime();
        lastAnswerNanos = now;
        if (seq == sequence.get()) {
            metrics.probeAnswered(java.time.Duration.ofNanos(now - lastSentNanos));
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
