package io.hostpub.runtime.admin;

import io.hostpub.admin.api.model.ApplicationInfo;
import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.JvmInfo;
import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.admin.api.model.Role;
import io.hostpub.runtime.events.EventLog;
import io.hostpub.runtime.pool.LicensedPools;
import java.util.List;
import java.util.Optional;

/**
 * What the {@link AdminService} reads and asks of the instance it serves (the runtime implements it): the admin layer
 * depends on this, not on the runtime, so the runtime can export its admin object without a package cycle.
 */
public interface AdministeredInstance {

    String name();

    Role role();

    InstanceSummary summary();

    JvmInfo jvmInfo();

    List<ApplicationInfo> applications();

    LicensedPools pools();

    EventLog events();

    /** The machine tally, if this instance is the supervisor. */
    Optional<LicenseTally> licenseTally();

    /** Remote graceful shutdown: the call returns first, the instance then closes. */
    void requestShutdown();
}
