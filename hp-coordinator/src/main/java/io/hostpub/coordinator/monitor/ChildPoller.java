package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.poll.ElectionValue;
import io.hostpub.coordinator.api.poll.Poll;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One round of a coordinator's polls (seed 0128): every child at once, with the coordinator's election value; each
 * answer or miss lands on the child's {@link ChildTrack}. An agent is found at its plan address, a lower coordinator
 * at the endpoint it recorded in the store.
 */
final class ChildPoller {

    private final Supplier<ClusterPlan> plan;
    private final CoordinatorStore store;
    private final ClusterClient client;
    private final ExecutorService calls;
    private final Clock clock;
    private final Predicate<String> linkOpen;
    private final BiFunction<Map<String, ChildTrack>, Instant, Optional<String>> sync;

    /**
     * @param plan     the plan in force, whose nodes change live
     * @param linkOpen whether a child's death-watch link to this monitor is open
     * @param sync     makes the children those of the plan in force before each round ({@link ChildSync}); says why
     *                 this monitor must leave, if it must
     */
    ChildPoller(Supplier<ClusterPlan> plan, CoordinatorStore store, ClusterClient client, ExecutorService calls,
            Clock clock, Predicate<String> linkOpen,
            BiFunction<Map<String, ChildTrack>, Instant, Optional<String>> sync) {
        this.plan = plan;
        this.sync = sync;
        this.store = store;
        this.client = client;
        this.calls = calls;
        this.clock = clock;
        this.linkOpen = linkOpen;
    }

    /** How long a child may take to answer a poll: two intervals, at least a second (a cold JVM's first reply). */
    static Duration pollTimeout(ClusterPlan plan) {
        return Duration.ofMillis(Math.max(1_000, plan.pollIntervalMs() * 2));
    }

    /**
     * Polls every child of the plan in force and records what each answered.
     *
     * @return why the polling coordinator must commit suicide (a child has seen a better election value than
     *         {@code election}, or its node left the plan: others start it elsewhere), or empty
     */
    Optional<String> pollAll(Map<String, ChildTrack> tracked, Poll poll, ElectionValue election)
            throws StoreException, InterruptedException {
        Optional<String> leave = sync.apply(tracked, clock.instant());
        if (leave.isPresent()) {
            return leave;
        }
        Collection<ChildTrack> children = tracked.values();
        ClusterPlan inForce = plan.get(); // one read of the plan for the round: each child's endpoint is in it
        Duration timeout = pollTimeout(inForce);
        Duration hungAfter = WatchSocket.hungAfter(inForce.pollInterval());
        Map<ChildTrack, Future<ChildTrack.Answer>> answers = new LinkedHashMap<>();
        for (ChildTrack child : children) {
            InetSocketAddress endpoint = endpointOf(child, inForce);
            child.endpoint = endpoint == null ? null : endpoint.getHostString() + ":" + endpoint.getPort();
            answers.put(child, endpoint == null ? null : calls.submit(() -> child.agent
                    ? ChildTrack.Answer.of(client.call(endpoint, ClusterRoutes.AGENT_POLL, poll, timeout))
                    : ChildTrack.Answer.of(client.call(endpoint, ClusterRoutes.MONITOR_POLL, poll, timeout))));
        }
        Instant now = clock.instant();
        for (Map.Entry<ChildTrack, Future<ChildTrack.Answer>> answer : answers.entrySet()) {
            ChildTrack child = answer.getKey();
            if (answer.getValue() == null) {
                child.missed(true, false, hungAfter, now); // no coordinator of that position recorded an endpoint
                continue;
            }
            try {
                ChildTrack.Answer reply = answer.getValue().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
                if (reply.best().betterThan(election)) {
                    return Optional.of("child " + child.name + " has seen a better election value " + reply.best()
                            + " than this monitor's " + election);
                }
                child.answered(reply, now);
            } catch (ExecutionException e) {
                child.missed(e.getCause() instanceof ConnectException, linkOpen.test(child.name), hungAfter, now);
            } catch (TimeoutException e) {
                answer.getValue().cancel(true);
                child.missed(false, linkOpen.test(child.name), hungAfter, now);
            }
        }
        return Optional.empty();
    }

    private InetSocketAddress endpointOf(ChildTrack child, ClusterPlan inForce) throws StoreException {
        if (child.agent) {
            return inForce.agentEndpoint(child.name);
        }
        try {
            return MonitorEndpoint.read(store, child.name).map(MonitorEndpoint::socketAddress).orElse(null);
        } catch (StoreException e) {
            if (child.endpoint == null) {
                throw e;
            }
            // the store does not answer (no quorum): poll the child where it was, so it does not take this monitor's
            // silence for a death and start another that could not take a fence anyway
            int colon = child.endpoint.lastIndexOf(':');
            return new InetSocketAddress(child.endpoint.substring(0, colon),
                    Integer.parseInt(child.endpoint.substring(colon + 1)));
        }
    }
}
