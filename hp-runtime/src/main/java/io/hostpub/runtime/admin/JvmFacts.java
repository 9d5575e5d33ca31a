package io.hostpub.runtime.admin;

import io.hostpub.admin.api.model.JvmInfo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetAddress;

/** The facts of this JVM an instance page shows: Java version and vendor, host, CPUs, heap, threads, arguments. */
public final class JvmFacts {

    private JvmFacts() {
    }

    public static JvmInfo now() {
        Runtime jvm = Runtime.getRuntime();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return new JvmInfo(System.getProperty("java.version"), System.getProperty("java.vendor", "unknown"), host,
                jvm.availableProcessors(), heap.getUsed(), Math.max(heap.getMax(), 0),
                ManagementFactory.getThreadMXBean().getThreadCount(),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }
}
