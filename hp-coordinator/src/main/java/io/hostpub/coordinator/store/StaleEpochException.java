package io.hostpub.coordinator.store;

/**
 * A write carried an epoch older than the scope's latest grant: its writer was superseded and must stop (a monitor
 * commits suicide).
 */
public final class StaleEpochException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final Fence rejected;
    private final long current;

    public StaleEpochException(Fence rejected, long current) {
        super("write to " + rejected.scope() + " by " + rejected.holder() + " with epoch " + rejected.epoch()
                + " rejected: epoch " + current + " was granted since");
        this.rejected = rejected;
        this.current = current;
    }

    public Fence rejected() {
        return rejected;
    }

    public long current() {
        return current;
    }
}
