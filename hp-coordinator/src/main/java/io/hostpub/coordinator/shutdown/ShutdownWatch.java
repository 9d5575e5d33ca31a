package io.hostpub.coordinator.shutdown;

import io.hostpub.coordinator.api.operator.ShutdownOrder;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.NamedThreads;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A node agent's look at the shutdown orders: every poll interval, and at once when the operator's tool nudges it
 * ({@code POST /shutdown}). The first order that covers the node is handed to the agent once, on this watch's
 * thread; the nudge carries no order of its own, so only what the store says counts. A node removed from the plan
 * in force is dismissed the same way.
 */
public final class ShutdownWatch extends LifeCycle<RuntimeException> {

    private static final System.Logger LOG = System.getLogger(ShutdownWatch.class.getName());

    private final ClusterPlan plan;
    private final CoordinatorStore store;
    private final String member;
    private final Duration period;
    private final Consumer<String> onOrder;
    private final Supplier<Optional<String>> dismissal;
    private final ScheduledThreadPoolExecutor timer;
    private final AtomicBoolean ordered = new AtomicBoolean();
    private volatile boolean storeTroubleLogged;

    /**
     * @param member    the node (or monitor position) whose orders it watches
     * @param onOrder   told once, on the watch's thread, of the order that covers the member (its description)
     * @param dismissal why the member must stop although no order covers it (its node left the plan), or empty
     */
    public ShutdownWatch(ClusterPlan plan, CoordinatorStore store, String member, Duration period,
            Consumer<String> onOrder, Supplier<Optional<String>> dismissal) {
        super("shutdown watch of " + member);
        this.dismissal = dismissal;
        this.plan = plan;
        this.store = store;
        this.member = member;
        this.period = period;
        this.onOrder = onOrder;
        this.timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("shutdown-watch-" + member));
    }

    @Override
    protected void doStart() {
        timer.scheduleWithFixedDelay(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the orders now (the operator's nudge); returns without waiting for what the order sets off. */
    public void nudge() {
        if (isRunning()) {
            timer.execute(this::check);
        }
    }

    private void check() {
        if (ordered.get()) {
            return;
        }
        try {
            Optional<String> order = ShutdownOrders.covering(store, plan, member).map(ShutdownOrder::describe)
                    .or(dismissal);
            storeTroubleLogged = false;
            if (order.isPresent() && ordered.compareAndSet(false, true)) {
                onOrder.accept(order.get());
            }
        } catch (StoreException | RuntimeException e) {
            if (!storeTroubleLogged) {
                storeTroubleLogged = true;
                LOG.log(Level.WARNING, "{0}: cannot read the shutdown orders: {1}", member, e.toString());
            }
        }
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
    }
}
