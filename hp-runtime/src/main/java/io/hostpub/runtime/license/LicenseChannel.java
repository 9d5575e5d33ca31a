package io.hostpub.runtime.license;

import java.util.concurrent.CompletableFuture;

/**
 * Where an instance's license requests go while it has a role: straight into the ledger for the supervisor,
 * over the link for a subordinate.
 */
public interface LicenseChannel {

    /**
     * Asks for {@code units}, and up to {@code lease} more to keep for local grants where the channel
     * {@link #leases()}.
     * The future completes with {@code null} when granted (the channel has already passed the units, and any leased
     * ones, to {@link Licenses#granted}), with a {@link LicenseException} when denied, or with a
     * {@link LinkLostException} when the channel died first (the caller retries on the next channel).
     */
    CompletableFuture<Void> request(int units, int lease);

    /** Gives units back; fire and forget. */
    void release(int units);

    /** True if units may be leased through this channel: its supervisor can recall them when another member waits. */
    boolean leases();

    /** Thrown into pending requests when the channel dies. */
    final class LinkLostException extends Exception {
        private static final long serialVersionUID = 1L;

        public LinkLostException(String message) {
            super(message);
        }
    }
}
