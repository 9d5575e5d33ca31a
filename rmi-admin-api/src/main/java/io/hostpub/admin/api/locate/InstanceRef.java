package io.hostpub.admin.api.locate;

import io.hostpub.admin.api.AdminServer;
import java.util.Objects;

/**
 * A typed reference to one instance of a machine. {@link #admin()} calls go over the authenticated RMI
 * transport with the admin deserialization filter applied.
 */
public record InstanceRef(String name, AdminServer admin) {
    public InstanceRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(admin, "admin");
    }
}
