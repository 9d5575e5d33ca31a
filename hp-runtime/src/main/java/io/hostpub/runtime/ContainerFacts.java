package io.hostpub.runtime;

import java.util.List;
import java.util.Optional;

/**
 * What the hosting container tells the runtime about itself.
 *
 * @param container e.g. "Jetty 12.1.12"; empty for a bare JVM
 * @param httpPorts the container's HTTP ports, first one used for the derived name
 * @param shortName e.g. "jetty", used to derive the instance name {@code <shortName>-<first port>}
 */
public record ContainerFacts(Optional<String> container, List<Integer> httpPorts, Optional<String> shortName) {

    public ContainerFacts {
        httpPorts = List.copyOf(httpPorts);
    }

    public static ContainerFacts bareJvm() {
        return new ContainerFacts(Optional.empty(), List.of(), Optional.empty());
    }

    /** The derived instance name, if the container gives enough to derive one. */
    Optional<String> derivedName() {
        return shortName.filter(s -> !httpPorts.isEmpty()).map(s -> s + "-" + httpPorts.get(0));
    }
}
