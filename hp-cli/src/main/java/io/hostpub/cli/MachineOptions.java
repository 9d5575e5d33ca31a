package io.hostpub.cli;

import io.hostpub.admin.api.locate.MachineAddress;
import io.hostpub.admin.api.locate.MachineLocator;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.runtime.config.ConfigException;
import io.hostpub.runtime.config.ConfigLoader;
import io.hostpub.runtime.config.RuntimeConfig;
import java.io.IOException;
import picocli.CommandLine.Option;

/** {@code --machine HOST[:PORT]}, resolved against the installation's configuration. */
final class MachineOptions {

    @Option(names = "--machine", paramLabel = "HOST[:PORT]",
            description = "machine to query (default: this machine, the configured bind address and supervisor port)")
    String machine;

    RuntimeConfig config() {
        return ConfigLoader.fromEnvironment();
    }

    MachineAddress address(RuntimeConfig config) {
        if (machine == null) {
            return new MachineAddress(config.bindAddress().getHostAddress(), config.supervisorPort());
        }
        return MachineAddress.parse(machine, config.supervisorPort());
    }

    MachineLocator locator(RuntimeConfig config) {
        try {
            return new MachineLocator(InstallationSecret.load(config.secretFile()));
        } catch (IOException e) {
            throw new ConfigException("cannot read the installation secret: " + e.getMessage()
                    + " (set HOSTPUB_HOME to the installation, or copy its secret file)", e);
        }
    }
}
