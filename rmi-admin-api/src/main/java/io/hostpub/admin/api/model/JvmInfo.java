package io.hostpub.admin.api.model;

import java.io.Serial;
import java.io.Serializable;

/** Facts about an instance's JVM. */
public record JvmInfo(String version, String vendor, String host, int cpus, long heapUsedBytes, long heapMaxBytes,
        int threads, String inputArguments) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    public JvmInfo {
        Checks.text(version, "version", 100);
        Checks.text(vendor, "vendor", 200);
        Checks.text(host, "host", 255);
        Checks.nonNegative(cpus, "cpus");
        Checks.nonNegative(heapUsedBytes, "heapUsedBytes");
        Checks.nonNegative(threads, "threads");
        Checks.text(inputArguments, "inputArguments", 16_384);
    }
}
