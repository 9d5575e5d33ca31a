package io.hostpub.runtime;

import io.hostpub.runtime.config.ConfigException;
import io.hostpub.runtime.config.RuntimeConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Builds and starts runtimes: {@code HostpubRuntime.builder(config).container(facts).start()}. */
public final class RuntimeBuilder {
    final RuntimeConfig config;
    ContainerFacts container = ContainerFacts.bareJvm();
    boolean guarded = true;
    Runnable shutdownAction;
    Clock clock = Clock.systemUTC();
    Duration startWait = Duration.ofSeconds(15);

    RuntimeBuilder(RuntimeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public RuntimeBuilder container(ContainerFacts facts) {
        this.container = Objects.requireNonNull(facts);
        return this;
    }

    /** For tests hosting several runtimes in one JVM: skip the one-runtime-per-JVM guard. */
    public RuntimeBuilder unguarded() {
        this.guarded = false;
        return this;
    }

    /** What a remote "graceful shutdown" does after the runtime closed (default: nothing more). */
    public RuntimeBuilder onShutdown(Runnable action) {
        this.shutdownAction = action;
        return this;
    }

    /** How long {@link #start()} waits for the first role before returning while still electing. */
    public RuntimeBuilder startWait(Duration wait) {
        this.startWait = wait;
        return this;
    }

    /**
     * Starts the runtime and waits until it has a role (or until the start wait passes, e.g. while a
     * foreign program holds the supervisor port; it keeps retrying in the background).
     *
     * @throws IllegalStateException if the name is already taken on this machine, or a runtime is already
     *         running in this JVM
     * @throws ConfigException if the secret file is unusable
     */
    public HostpubRuntime start() {
        HostpubRuntime runtime = new HostpubRuntime(this);
        runtime.start();
        return runtime;
    }
}
