package io.hostpub.runtime;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The one JVM-wide singleton: at most one guarded runtime per class loader hierarchy that sees this class.
 * Tests that host several runtimes in one JVM build them unguarded.
 */
final class RuntimeGuard {
    private static final AtomicReference<String> OWNER = new AtomicReference<>();

    private RuntimeGuard() {
    }

    static void acquire(String name) {
        if (!OWNER.compareAndSet(null, name)) {
            throw new IllegalStateException("a hostpub runtime ('" + OWNER.get() + "') is already running in this JVM;"
                    + " only one runtime per JVM (install the runtime once, at container level, to share it)");
        }
    }

    static void release(String name) {
        OWNER.compareAndSet(name, null);
    }
}
