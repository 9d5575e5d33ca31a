package io.hostpub.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The {@link CoordinatorStore} contract, run against every implementation. */
abstract class StoreContract {

    /** A client of the one store under test; each call may return a new client (another "process"). */
    abstract CoordinatorStore client() throws Exception;

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void grantsIncreasingEpochsAndReportsTheLatest() throws Exception {
        try (CoordinatorStore store = client()) {
            assertThat(store.current("monitor/local/a")).isEmpty();
            Fence first = store.acquire("monitor/local/a", "one");
            Fence second = store.acquire("monitor/local/a", "two");
            assertThat(second.supersedes(first)).isTrue();
            assertThat(store.current("monitor/local/a")).contains(second);
            assertThat(store.acquire("monitor/local/b", "other").epoch()).isEqualTo(1);
        }
    }

    @Test
    void confirmsTheLatestFenceAndRejectsASupersededOne() throws Exception {
        try (CoordinatorStore store = client(); CoordinatorStore other = client()) {
            Fence old = store.acquire("monitor/local/c", "old");
            store.confirm(old);
            Fence fresh = other.acquire("monitor/local/c", "new");
            assertThatThrownBy(() -> store.confirm(old)).isInstanceOfSatisfying(StaleEpochException.class,
                    e -> assertThat(e.current()).isEqualTo(fresh.epoch()));
            store.confirm(fresh);
        }
    }

    @Test
    void theLatestFenceWritesAndASupersededOneIsRejectedChangingNothing() throws Exception {
        try (CoordinatorStore store = client()) {
            Fence old = store.acquire("agent/n1", "old");
            store.put(old, "jobs/app/clone-1", bytes("v1"));
            Fence fresh = store.acquire("agent/n1", "new");
            assertThatThrownBy(() -> store.put(old, "jobs/app/clone-1", bytes("stale")))
                    .isInstanceOfSatisfying(StaleEpochException.class, e -> {
                        assertThat(e.rejected()).isEqualTo(old);
                        assertThat(e.current()).isEqualTo(fresh.epoch());
                    });
            assertThatThrownBy(() -> store.delete(old, "jobs/app/clone-1")).isInstanceOf(StaleEpochException.class);
            assertThat(store.get("agent/n1", "jobs/app/clone-1").map(StoreContract::text)).contains("v1");
            store.put(fresh, "jobs/app/clone-1", bytes("v2"));
            assertThat(store.get("agent/n1", "jobs/app/clone-1").map(StoreContract::text)).contains("v2");
            store.delete(fresh, "jobs/app/clone-1");
            store.delete(fresh, "jobs/app/never-written");
            assertThat(store.get("agent/n1", "jobs/app/clone-1")).isEmpty();
        }
    }

    @Test
    void aFenceFromAnotherScopeOrNeverGrantedCannotWrite() throws Exception {
        try (CoordinatorStore store = client()) {
            store.acquire("monitor/group/g", "g");
            assertThatThrownBy(() -> store.put(new Fence("monitor/group/g", 7, "forged"), "k", bytes("x")))
                    .isInstanceOf(StaleEpochException.class);
            assertThatThrownBy(() -> store.put(new Fence("never/granted", 1, "forged"), "k", bytes("x")))
                    .isInstanceOf(StaleEpochException.class);
            assertThat(store.list("monitor/group/g")).isEmpty();
        }
    }

    @Test
    void listsAScopeOrderedByKeyAndIsolatedFromOtherScopes() throws Exception {
        try (CoordinatorStore store = client()) {
            Fence fence = store.acquire("monitor/local/list", "me");
            Fence other = store.acquire("monitor/local/list2", "me");
            store.put(fence, "b", bytes("2"));
            store.put(fence, "a/x", bytes("1"));
            store.put(fence, "c", bytes("3"));
            store.put(other, "z", bytes("other"));
            assertThat(store.list("monitor/local/list").keySet()).containsExactly("a/x", "b", "c");
            assertThat(text(store.list("monitor/local/list").get("a/x"))).isEqualTo("1");
        }
    }

    @Test
    void anotherClientSeesWritesAndItsGrantFencesTheFirst() throws Exception {
        try (CoordinatorStore one = client(); CoordinatorStore two = client()) {
            Fence first = one.acquire("monitor/universal/u", "one");
            one.put(first, "checkpoint", bytes("state-1"));
            assertThat(two.get("monitor/universal/u", "checkpoint").map(StoreContract::text)).contains("state-1");
            Fence second = two.acquire("monitor/universal/u", "two");
            assertThatThrownBy(() -> one.put(first, "checkpoint", bytes("stale")))
                    .isInstanceOf(StaleEpochException.class);
            assertThat(one.current("monitor/universal/u")).contains(second);
            two.put(second, "checkpoint", bytes("state-2"));
            assertThat(one.get("monitor/universal/u", "checkpoint").map(StoreContract::text)).contains("state-2");
        }
    }

    @Test
    void concurrentGrantsFromSeveralClientsAreAllDistinct() throws Exception {
        List<CoordinatorStore> clients = List.of(client(), client());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Set<Long> epochs = ConcurrentHashMap.newKeySet();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                CoordinatorStore store = clients.get(t % 2);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        assertThat(epochs.add(store.acquire("race/scope", Thread.currentThread().getName()).epoch()))
                                .isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            assertThat(epochs).hasSize(100);
            assertThat(clients.get(0).current("race/scope").orElseThrow().epoch()).isEqualTo(100);
        } finally {
            pool.shutdownNow();
            clients.forEach(CoordinatorStore::close);
        }
    }

    @Test
    void rejectsMalformedScopesKeysAndOversizedValues() throws Exception {
        try (CoordinatorStore store = client()) {
            Fence fence = store.acquire("valid/scope", "me");
            assertThatThrownBy(() -> store.acquire("../etc", "me")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid store scope");
            assertThatThrownBy(() -> store.put(fence, "bad key", bytes("x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid store key");
            assertThatThrownBy(() -> store.put(fence, "big", new byte[JournalStore.MAX_VALUE + 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        }
    }
}
