package io.hostpub.coordinator.store;

import java.util.Map;
import java.util.Optional;

/**
 * The store as a reader sees it when it cannot open it (a ZooKeeper ensemble without a quorum): every call fails with
 * why it could not be opened. {@code hpctl cluster} reports through it, so an operator still sees every agent and its
 * jobs (the plan locates them) while the coordinators, which only the store locates, show the store's error.
 */
public final class UnreachableStore implements CoordinatorStore {

    private final String description;
    private final StoreException cause;

    public UnreachableStore(String description, StoreException cause) {
        this.description = description;
        this.cause = cause;
    }

    private StoreException failure() {
        return new StoreException(cause.getMessage(), cause);
    }

    @Override
    public Fence acquire(String scope, String holder) throws StoreException {
        throw failure();
    }

    @Override
    public Optional<Fence> current(String scope) throws StoreException {
        throw failure();
    }

    @Override
    public void put(Fence fence, String key, byte[] value) throws StoreException {
        throw failure();
    }

    @Override
    public void delete(Fence fence, String key) throws StoreException {
        throw failure();
    }

    @Override
    public Optional<byte[]> get(String scope, String key) throws StoreException {
        throw failure();
    }

    @Override
    public Map<String, byte[]> list(String scope) throws StoreException {
        throw failure();
    }

    @Override
    public String describe() {
        return description + " (unreachable: " + cause.getMessage() + ")";
    }

    @Override
    public void close() {
        // nothing was opened
    }
}
