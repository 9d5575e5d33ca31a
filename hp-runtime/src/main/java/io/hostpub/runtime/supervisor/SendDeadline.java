package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.wire.Message;
import io.hostpub.lifecycle.NamedThreads;
import io.hostpub.runtime.link.LinkSocket;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for sends made by threads that serve every link: the roster broadcast (under the membership lock) and
 * grants deferred until the grant gate opens. A socket write blocks once the peer's receive buffer and this side's
 * send buffer are full, which happens to a process that is stopped (SIGSTOP, a debugger) while frames keep coming.
 * Without a deadline that one peer would hold the membership lock, and with it every join and leave on the machine,
 * for as long as it stays stopped. A frame the peer has not taken within the deadline declares it hung and closes
 * its link, which fails the write at once.
 * <p>
 * The timer's thread exists only while a guarded send is in flight (and a few seconds after), so an idle runtime
 * does not carry it.
 */
final class SendDeadline implements AutoCloseable {

    /** Far longer than a live peer ever needs: the bytes only have to reach its kernel buffer. */
    static final long DEFAULT_MS = 2_000;
    private static final long TIMER_IDLE_SECONDS = 5;

    private final long deadlineMs;
    private final ScheduledThreadPoolExecutor timer;

    SendDeadline(String instance, long deadlineMs) {
        this.deadlineMs = deadlineMs;
        this.timer = NamedThreads.schedulerWhileBusy(instance + "-send-deadline", TIMER_IDLE_SECONDS);
    }

    long deadlineMs() {
        return deadlineMs;
    }

    /**
     * Sends one frame; if the peer has not taken it within the deadline, runs {@code missed} (on the timer's thread,
     * before the link closes, so the link's reader sees the verdict when its read fails) and closes the link. A
     * failed write is left to the link's reader, which sees the broken link.
     */
    void send(LinkSocket link, Message message, Runnable missed) {
        ScheduledFuture<?> deadline;
        try {
            deadline = timer.schedule(() -> {
                missed.run();
                link.close();
            }, deadlineMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return; // this runtime is closing, and its links with it
        }
        link.trySend(message);
        deadline.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
