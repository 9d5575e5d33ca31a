package io.hostpub.admin.api.transport;

import io.hostpub.admin.api.wire.InstallationSecret;
import java.util.concurrent.Callable;

/**
 * The secret that stubs unmarshalled on this thread should use, for the duration of one client call.
 * Lets a {@code MachineLocator} built with an explicit secret hand that secret to the stubs it looks up.
 */
public final class SecretScope {
    private static final ThreadLocal<InstallationSecret> CURRENT = new ThreadLocal<>();

    private SecretScope() {
    }

    static InstallationSecret current() {
        return CURRENT.get();
    }

    public static <T> T call(InstallationSecret secret, Callable<T> action) throws Exception {
        InstallationSecret previous = CURRENT.get();
        CURRENT.set(secret);
        try {
            return action.call();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
