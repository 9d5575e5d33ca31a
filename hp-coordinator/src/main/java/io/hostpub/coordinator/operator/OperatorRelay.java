package io.hostpub.coordinator.operator;

import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.Route;
import io.hostpub.coordinator.api.job.JobName;
import io.hostpub.coordinator.api.operator.NodeName;
import io.hostpub.coordinator.api.operator.OperatorIntent;
import io.hostpub.coordinator.api.operator.OperatorReceipt;
import io.hostpub.coordinator.api.operator.OperatorRequest;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.monitor.MonitorEndpoint;
import io.hostpub.coordinator.plan.LivePlan;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Relays an operator's request (from the WAR or {@code hpctl}, through any agent) to the local coordinator in charge
 * of the job or node, found in the plan and, for its current address, in the store. Answers with the coordinator's
 * refusal unchanged; 502 when the coordinator or the store cannot be reached.
 */
public final class OperatorRelay {

    /** Status of a relay that could not reach the coordinator or the store (the caller sees "unreachable"). */
    public static final int UNREACHABLE = 502;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ClusterPlan plan;
    private final LivePlan live;
    private final CoordinatorStore store;
    private final ClusterClient client;

    public OperatorRelay(ClusterPlan plan, CoordinatorStore store, ClusterClient client) {
        this.plan = plan;
        this.live = new LivePlan(plan, store);
        this.store = store;
        this.client = client;
    }

    public OperatorReceipt relay(OperatorRequest request) throws ClusterRefusal {
        String name = request.name();
        boolean onJob = request.operation().onJob();
        Optional<String> position = onJob
                ? live.current().applications().stream().filter(a -> name.startsWith(a.name() + "/")).map(a -> a.monitor())
                        .findFirst()
                : live.current().parentOf(name).map(MonitorPosition::position);
        if (position.isEmpty()) {
            throw new ClusterRefusal(404, "no " + request.operation().parameter() + " " + name + " in the cluster plan");
        }
        InetSocketAddress coordinator = endpoint(position.get());
        try {
            OperatorIntent intent = switch (request.operation()) {
                case STOP_JOB -> call(coordinator, ClusterRoutes.OPERATOR_STOP_JOB, new JobName(name));
                case START_JOB -> call(coordinator, ClusterRoutes.OPERATOR_START_JOB, new JobName(name));
                case DRAIN -> call(coordinator, ClusterRoutes.OPERATOR_DRAIN, new NodeName(name));
                case UNDRAIN -> call(coordinator, ClusterRoutes.OPERATOR_UNDRAIN, new NodeName(name));
                case SHUTDOWN, START, ABORT_ROLLOUT -> throw new ClusterRefusal(400, request.operation().path()
                        + " is the agent's to carry out, not a coordinator's");
            };
            return new OperatorReceipt(position.get(), intent);
        } catch (ClusterRefusal refused) {
            throw refused;
        } catch (IOException e) {
            throw new ClusterRefusal(UNREACHABLE, "coordinator " + position.get() + " unreachable: " + e.getMessage());
        }
    }

    private <Q> OperatorIntent call(InetSocketAddress coordinator, Route<Q, OperatorIntent> route, Q body)
            throws IOException {
        return client.call(coordinator, route, body, TIMEOUT);
    }

    private InetSocketAddress endpoint(String position) throws ClusterRefusal {
        try {
            MonitorEndpoint endpoint = MonitorEndpoint.read(store, position)
                    .orElseThrow(() -> new ClusterRefusal(UNREACHABLE, "coordinator " + position + " has never run"));
            return new InetSocketAddress(endpoint.address(), endpoint.port());
        } catch (StoreException e) {
            throw new ClusterRefusal(UNREACHABLE, "cluster store unavailable: " + e.getMessage());
        }
    }
}
