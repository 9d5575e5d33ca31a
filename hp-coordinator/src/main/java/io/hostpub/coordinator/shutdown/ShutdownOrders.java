package io.hostpub.coordinator.shutdown;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.operator.ShutdownOrder;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shutdown orders in the cluster store: scope {@value #SCOPE}, one key per ordered scope ({@code all},
 * {@code local/l1}). Each change takes the scope's fence first, so two operators' changes are ordered by the store.
 * Reading them is what every agent and coordinator does before it starts or restarts anything.
 */
public final class ShutdownOrders {

    /** The store scope of the orders. */
    public static final String SCOPE = "operations/shutdown";

    private ShutdownOrders() {
    }

    /** Every order in force, oldest scope name first. */
    public static List<ShutdownOrder> read(CoordinatorStore store) throws StoreException {
        List<ShutdownOrder> orders = new ArrayList<>();
        for (byte[] value : store.list(SCOPE).values()) {
            orders.add(Json.read(value, ShutdownOrder.class));
        }
        return orders;
    }

    /** The order that stops {@code member} (a node or a monitor position), if one does. */
    public static Optional<ShutdownOrder> covering(CoordinatorStore store, ClusterPlan plan, String member)
            throws StoreException {
        return first(read(store), plan, member);
    }

    /** The first of {@code orders} that stops {@code member}, if one does. */
    public static Optional<ShutdownOrder> first(List<ShutdownOrder> orders, ClusterPlan plan, String member) {
        return orders.stream().filter(order -> order.covers(plan, member)).findFirst();
    }

    /**
     * Places an order for {@code scope}; placing it again keeps the first (its time is when the shutdown began).
     *
     * @throws ClusterRefusal 400 for a scope that is not {@code all} or a monitor position of the plan
     */
    public static ShutdownOrder place(CoordinatorStore store, ClusterPlan plan, String scope, String by, Instant now)
            throws StoreException, ClusterRefusal {
        Optional<String> invalid = ShutdownOrder.invalidScope(plan, scope);
        if (invalid.isPresent()) {
            throw new ClusterRefusal(400, invalid.get());
        }
        Optional<ShutdownOrder> existing = store.get(SCOPE, scope).map(b -> Json.read(b, ShutdownOrder.class));
        if (existing.isPresent()) {
            return existing.get();
        }
        ShutdownOrder order = new ShutdownOrder(scope, now, by);
        Fence fence = store.acquire(SCOPE, "operator " + by);
        store.put(fence, scope, Json.write(order));
        return order;
    }

    /**
     * Lifts the order for {@code scope} ({@code all} lifts every order).
     *
     * @return the orders lifted (none when nothing was ordered for the scope)
     * @throws ClusterRefusal 409 when a wider order would keep the scope stopped anyway (name it: lift that one)
     */
    public static List<ShutdownOrder> lift(CoordinatorStore store, ClusterPlan plan, String scope)
            throws StoreException, ClusterRefusal {
        Optional<String> invalid = ShutdownOrder.invalidScope(plan, scope);
        if (invalid.isPresent()) {
            throw new ClusterRefusal(400, invalid.get());
        }
        List<ShutdownOrder> orders = read(store);
        List<ShutdownOrder> lifted = orders.stream().filter(o -> scope.equals(ShutdownOrder.ALL)
                || o.scope().equals(scope) || new ShutdownOrder(scope, o.at(), "").covers(plan, o.scope())).toList();
        Optional<ShutdownOrder> wider = orders.stream().filter(o -> !lifted.contains(o) && o.covers(plan, scope))
                .findFirst();
        if (wider.isPresent()) {
            throw new ClusterRefusal(409, scope + " stays stopped by the " + wider.get().describe() + ": start "
                    + wider.get().scope() + " instead");
        }
        if (!lifted.isEmpty()) {
            Fence fence = store.acquire(SCOPE, "operator lifting " + scope);
            for (ShutdownOrder order : lifted) {
                store.delete(fence, order.scope());
            }
        }
        return lifted;
    }
}
