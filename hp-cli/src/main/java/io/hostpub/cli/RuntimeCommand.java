package io.hostpub.cli;

import io.hostpub.lifecycle.NamedThreads;
import io.hostpub.runtime.HostpubRuntime;
import io.hostpub.runtime.config.ConfigLoader;
import io.hostpub.runtime.config.RuntimeConfig;
import io.hostpub.runtime.pool.PoolSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hpctl runtime}: one bare runtime instance in the foreground until SIGTERM (or a remote graceful
 * shutdown). For JVMs that are not servlet containers, the demo and the tests.
 */
@Command(name = "runtime", mixinStandardHelpOptions = true,
        description = "Run one bare runtime instance in the foreground until SIGTERM.")
final class RuntimeCommand implements Callable<Integer> {

    @Option(names = "--name", paramLabel = "N", description = "instance name (default: hostpub.instanceName, else jvm-<pid>)")
    String name;

    @Option(names = "--pool", paramLabel = "N", defaultValue = "0",
            description = "open a licensed H2 pool 'demo' holding N connections (N license units)")
    int pool;

    @Override
    public Integer call() throws Exception {
        if (pool < 0 || pool > 1000) {
            throw new IllegalArgumentException("--pool must be between 0 and 1000");
        }
        RuntimeConfig config = ConfigLoader.fromEnvironment();
        if (name != null) {
            config = config.withInstanceName(name);
        }
        HostpubRuntime runtime = HostpubRuntime.builder(config).onShutdown(() -> System.exit(Hpctl.OK)).start();
        Runtime.getRuntime().addShutdownHook(new NamedThreads(runtime.name() + "-sigterm").newThread(runtime::close));
        if (pool > 0) {
            runtime.pools().create(PoolSpec.h2("demo", "hostpub-" + runtime.name(), pool, pool + 2));
        }
        System.out.println("hpctl runtime: " + runtime.name() + " is " + runtime.role() + " (pid " + runtime.pid()
                + ", supervisor port " + config.supervisorPort() + ")");
        System.out.flush();
        while (!runtime.awaitClosed(java.time.Duration.ofDays(1))) {
            // runs until SIGTERM or a remote shutdown
        }
        return Hpctl.OK;
    }
}
