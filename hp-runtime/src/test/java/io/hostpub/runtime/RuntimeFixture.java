package io.hostpub.runtime;

import io.hostpub.admin.api.locate.MachineAddress;
import io.hostpub.admin.api.locate.MachineLocator;
import io.hostpub.admin.api.model.Role;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.runtime.config.RuntimeConfig;
import io.hostpub.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Several unguarded runtimes of one installation in this JVM, on a free supervisor port. Closes them all. */
final class RuntimeFixture implements AutoCloseable {

    final Path home;
    final int port;
    final List<HostpubRuntime> runtimes = new ArrayList<>();
    private UnaryOperator<RuntimeConfig> tweak = c -> c;

    RuntimeFixture(Path home) {
        this.home = home;
        this.port = FreePorts.next();
    }


    RuntimeFixture configure(UnaryOperator<RuntimeConfig> tweak) {
        this.tweak = tweak;
        return this;
    }

    /**
     * The JVM's installation secret (surefire sets {@code hostpub.secretFile}): like a real JVM, every runtime
     * and every stub in this test JVM uses the one secret of its installation.
     */
    static Path installationSecretFile() {
        return Path.of(System.getProperty("hostpub.secretFile", "target/test-home/conf/secret"));
    }

    RuntimeConfig config(String name) {
        return tweak.apply(RuntimeConfig.defaults(home).withSupervisorPort(port).withInstanceName(name)
                .withSecretFile(installationSecretFile()));
    }

    HostpubRuntime start(String name) {
        HostpubRuntime runtime = HostpubRuntime.builder(config(name)).unguarded().startWait(Duration.ofSeconds(10))
                .start();
        runtimes.add(runtime);
        return runtime;
    }

    List<HostpubRuntime> live() {
        return runtimes.stream().filter(r -> !r.isClosed()).toList();
    }

    List<HostpubRuntime> supervisors() {
        return live().stream().filter(r -> r.role() == Role.SUPERVISOR).toList();
    }

    InstallationSecret secret() throws IOException {
        return InstallationSecret.loadOrCreate(installationSecretFile());
    }

    MachineLocator locator() throws IOException {
        return new MachineLocator(secret());
    }

    MachineAddress address() {
        return new MachineAddress("127.0.0.1", port);
    }

    /** The messages of the runtime's recent events, oldest first (what the tests look for in its log). */
    static java.util.List<String> log(HostpubRuntime runtime) {
        return runtime.events().newest(io.hostpub.runtime.events.EventLog.CAPACITY).stream()
                .map(io.hostpub.admin.api.model.EventInfo::message).toList();
    }

    @Override
    public void close() {
        runtimes.forEach(HostpubRuntime::close);
    }
}
