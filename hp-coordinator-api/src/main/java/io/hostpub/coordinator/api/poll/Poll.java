package io.hostpub.coordinator.api.poll;

import java.util.Objects;

/**
 * A monitor's heartbeat to one child (the seed's polling): who polls, at which level, with which election value.
 *
 * @param position the monitor's position, e.g. {@code local/l1}: a child keeps the best value per position
 * @param endpoint the monitor's death-watch socket, {@code host:port}: the child keeps a connection to the best
 *                 monitor's, and its close by the kernel tells the child at once that the monitor died
 */
public record Poll(String position, ElectionValue election, String endpoint) {

    public Poll {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(election, "election");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
