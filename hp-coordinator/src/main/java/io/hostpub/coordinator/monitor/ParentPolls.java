package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.poll.ElectionValue;
import io.hostpub.coordinator.api.poll.Poll;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a child (an agent or a monitor) remembers of the monitors that poll it, per polling position: the best
 * election value seen (returned with every reply, so a worse poller learns it is a duplicate), when it was last polled
 * (its {@link ParentWatch} starts a new parent after a silence) and the best poller's death-watch endpoint (the watch
 * keeps a connection to it). Thread-safe: polls arrive on the HTTP threads.
 */
public final class ParentPolls {

    private final Clock clock;
    private final Map<String, ElectionValue> best = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastPolled = new ConcurrentHashMap<>();
    private final Map<String, String> bestEndpoint = new ConcurrentHashMap<>();

    public ParentPolls(Clock clock) {
        this.clock = clock;
    }

    /** Records a poll; returns the best election value for its position, the poller's own or a better one. */
    public ElectionValue polled(Poll poll) {
        ElectionValue kept = best.merge(poll.position(), poll.election(), ElectionValue::best);
        if (kept.equals(poll.election()) && !poll.endpoint().isEmpty()) {
            bestEndpoint.put(poll.position(), poll.endpoint());
        }
        lastPolled.put(poll.position(), clock.instant());
        return kept;
    }

    /** The best election value seen for {@code position}. */
    public ElectionValue best(String position) {
        return best.getOrDefault(position, ElectionValue.NONE);
    }

    /** When a monitor at {@code position} last polled (empty: never). */
    public Optional<Instant> lastPolled(String position) {
        return Optional.ofNullable(lastPolled.get(position));
    }

    /** The death-watch endpoint ({@code host:port}) of the best monitor that polled from {@code position}. */
    public Optional<String> parentLink(String position) {
        return Optional.ofNullable(bestEndpoint.get(position));
    }
}
