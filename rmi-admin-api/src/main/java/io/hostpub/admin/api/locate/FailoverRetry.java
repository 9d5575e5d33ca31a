package io.hostpub.admin.api.locate;

import io.hostpub.admin.api.wire.HandshakeException;
import java.io.EOFException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Asks a machine a second time when the first question was refused or cut off at once. That is what a machine whose
 * supervisor is failing over answers for a moment: the old supervisor's port and registry are closed (refused, or a
 * connection dropped mid-question), and the new supervisor binds them within a few hundred milliseconds (83-88 ms from
 * the kill to the new registry on the test bed). A question that timed out or found no route is not asked again: that
 * machine is down or cut off, and it has already had its bounded wait. The second failure names both attempts.
 */
final class FailoverRetry {

    /** Between the two questions: several failovers' worth, still short for an operator. */
    static final Duration DELAY = Duration.ofMillis(300);

    interface Question<T> {
        T ask() throws LocatorException;
    }

    private FailoverRetry() {
    }

    static <T> T askTwice(MachineAddress address, Question<T> question) throws LocatorException {
        try {
            return question.ask();
        } catch (LocatorException first) {
            if (!refusedOrDropped(first)) {
                throw first;
            }
            try {
                Thread.sleep(DELAY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw first;
            }
            try {
                return question.ask();
            } catch (LocatorException second) {
                LocatorException failed = new LocatorException(second.kind(), second.getMessage() + " (asked twice, "
                        + DELAY.toMillis() + " ms apart: the supervisor of " + address + " may be failing over right"
                        + " now; ask again in a moment)", second);
                failed.addSuppressed(first);
                throw failed;
            }
        }
    }

    /**
     * Unreachable because a connection was refused, reset or closed early, not because it timed out; or a handshake
     * the peer closed without a word (an old supervisor's last moment), not one it refused or did not answer in time.
     */
    static boolean refusedOrDropped(LocatorException e) {
        boolean closedHandshake = e.getCause() instanceof HandshakeException h
                && h.failure() == HandshakeException.Failure.NO_ANSWER;
        if (e.kind() != LocatorException.Kind.UNREACHABLE && !closedHandshake) {
            return false;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof NoRouteToHostException) {
                return false;
            }
            if (t instanceof SocketException || t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }
}
