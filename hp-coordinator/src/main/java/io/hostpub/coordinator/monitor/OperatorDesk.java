package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.operator.OperatorIntent;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.store.StaleEpochException;
import io.hostpub.coordinator.wire.ClusterServer;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A local coordinator's operator requests (hold or release a job, drain or undrain a node): checked against the plan,
 * recorded in {@link MonitorMemory} on the cycle thread and checkpointed at once, so the next active cycle acts on them
 * and a successor keeps them. Group and universal coordinators refuse them (409).
 */
final class OperatorDesk {

    private static final System.Logger LOG = System.getLogger(OperatorDesk.class.getName());

    /** What the desk needs of its coordinator. */
    interface Coordinator {
        ClusterPlan.MonitorPosition position();

        boolean isRunning();

        Set<String> desiredJobs();

        boolean watchesNode(String node);

        /** Writes the checkpoint (on the cycle thread). */
        void checkpoint() throws Exception;

        /** The store rejected a write: this coordinator was superseded. */
        void superseded(String why);
    }

    private final Coordinator coordinator;
    private final MonitorMemory memory;
    private final ScheduledExecutorService cycleThread;
    private final Consumer<OperatorIntent> published;

    OperatorDesk(Coordinator coordinator, MonitorMemory memory, ScheduledExecutorService cycleThread,
            Consumer<OperatorIntent> published) {
        this.coordinator = coordinator;
        this.memory = memory;
        this.cycleThread = cycleThread;
        this.published = published;
    }

    /** Adds the operator routes this desk answers to a coordinator's {@code routes}. */
    ClusterServer.Routes serve(ClusterServer.Routes routes) {
        return routes.on(ClusterRoutes.OPERATOR_STOP_JOB, request -> hold(request.name()))
                .on(ClusterRoutes.OPERATOR_START_JOB, request -> release(request.name()))
                .on(ClusterRoutes.OPERATOR_DRAIN, request -> drain(request.node()))
                .on(ClusterRoutes.OPERATOR_UNDRAIN, request -> undrain(request.node()));
    }

    /** Holds a job stopped: not restarted, not placed. */
    OperatorIntent hold(String job) throws Exception {
        return record(job, true, true);
    }

    /** Lets a held job run again. */
    OperatorIntent release(String job) throws Exception {
        return record(job, true, false);
    }

    /** Drains a node: its jobs move away, nothing new is placed there. */
    OperatorIntent drain(String node) throws Exception {
        return record(node, false, true);
    }

    /** Takes a drained node back. */
    OperatorIntent undrain(String node) throws Exception {
        return record(node, false, false);
    }

    private OperatorIntent record(String name, boolean job, boolean add) throws Exception {
        String position = coordinator.position().position();
        if (coordinator.position().level() != ClusterPlan.Level.LOCAL) {
            throw new ClusterRefusal(409, position + " places no jobs: ask its local coordinators");
        }
        boolean known = job ? coordinator.desiredJobs().contains(name) : coordinator.watchesNode(name);
        if (!known) {
            throw new ClusterRefusal(404, "no " + (job ? "job " : "node ") + name + " under " + position);
        }
        if (!coordinator.isRunning()) {
            throw new ClusterRefusal(503, position + " is not running");
        }
        String what = job ? (add ? "stops job" : "starts job") : (add ? "drains node" : "undrains node");
        Callable<OperatorIntent> change = () -> {
            Set<String> intents = job ? memory.held : memory.drained;
            boolean changed = add ? intents.add(name) : intents.remove(name);
            try {
                coordinator.checkpoint();
            } catch (Exception e) {
                // recorded or not at all: an intent the store did not take must not act at the next cycle
                if (changed && !(add ? intents.remove(name) : intents.add(name))) {
                    throw new IllegalStateException("operator intent for " + name + " could not be undone");
                }
                if (e instanceof StaleEpochException) {
                    throw e;
                }
                throw new ClusterRefusal(503, position + " could not record that the operator " + what + " " + name
                        + " in the cluster store (" + e.getMessage() + "); nothing changed, retry once the store"
                        + " takes writes again");
            }
            if (changed) {
                LOG.log(Level.INFO, "monitor {0}: operator {1} {2}", position, what, name);
            }
            OperatorIntent intent = memory.intent();
            published.accept(intent);
            return intent;
        };
        try {
            return cycleThread.submit(change).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClusterRefusal refusal) {
                throw refusal;
            }
            if (e.getCause() instanceof StaleEpochException stale) {
                coordinator.superseded("the store rejected its write: " + stale.getMessage());
                throw new ClusterRefusal(503, position + " was superseded; retry");
            }
            throw e;
        }
    }
}
