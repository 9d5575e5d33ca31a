package io.hostpub.admin.api.locate;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link MachineLocator} found on a machine: its supervisor, registry port and every instance
 * bound in the registry ({@code main}, the supervisor's alias, is not repeated).
 */
public record LocatedMachine(MachineAddress address, String supervisor, int registryPort, InstanceRef main,
        List<InstanceRef> instances) {

    public LocatedMachine {
        instances = List.copyOf(instances);
    }

    public Optional<InstanceRef> instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
