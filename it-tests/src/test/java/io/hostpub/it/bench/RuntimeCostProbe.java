package io.hostpub.it.bench;

import io.hostpub.runtime.HostpubRuntime;
import io.hostpub.runtime.config.ConfigLoader;

/**
 * hostpub's runtime joining its machine's group ({@link CostProbe}), referencing nothing but the runtime, so it runs
 * on the runtime's own class path: what an idle clone pays, without the central directories of the benchmark's
 * 150-odd test jars, which a JVM keeps in its heap for every jar it opened looking up a class or a service file.
 */
public final class RuntimeCostProbe {

    private RuntimeCostProbe() {
    }

    public static void main(String[] args) throws Exception {
        CostProbe.run("hostpub", RuntimeCostProbe::join);
    }

    static CostProbe.Joined join() {
        HostpubRuntime runtime = HostpubRuntime.builder(ConfigLoader.fromEnvironment()).start();
        return new CostProbe.Joined(runtime.role().name().toLowerCase(java.util.Locale.ROOT), runtime);
    }
}
