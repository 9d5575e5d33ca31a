package io.hostpub.runtime;

import io.hostpub.admin.api.model.ApplicationInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the hosting container tells the runtime about itself.
 *
 * @param container e.g. "Jetty 12.1.12"; empty for a bare JVM
 * @param httpPorts the container's HTTP ports, first one used for the derived name
 * @param shortName e.g. "jetty", used to derive the instance name {@code <shortName>-<first port>}
 * @param applications the deployed applications the runtime can see, asked afresh for every admin view
 */
public record ContainerFacts(Optional<String> container, List<Integer> httpPorts, Optional<String> shortName,
        Supplier<List<ApplicationInfo>> applications) {

    public ContainerFacts {
        Objects.requireNonNull(container, "container");
        httpPorts = List.copyOf(httpPorts);
        Objects.requireNonNull(shortName, "shortName");
        Objects.requireNonNull(applications, "applications");
    }

    public ContainerFacts(Optional<String> container, List<Integer> httpPorts, Optional<String> shortName) {
        this(container, httpPorts, shortName, List::of);
    }

    public static ContainerFacts bareJvm() {
        return new ContainerFacts(Optional.empty(), List.of(), Optional.empty());
    }

    /** The applications the container reports; when they fail to describe themselves, none (and a warning). */
    List<ApplicationInfo> listApplications(io.hostpub.runtime.events.EventLog events) {
        try {
            return List.copyOf(applications.get());
        } catch (RuntimeException e) {
            events.warn(io.hostpub.admin.api.model.EventKind.ADMIN, "could not list the deployed applications: " + e);
            return List.of();
        }
    }

    /** The derived instance name, if the container gives enough to derive one. */
    Optional<String> derivedName() {
        return shortName.filter(s -> !httpPorts.isEmpty()).map(s -> s + "-" + httpPorts.get(0));
    }
}
