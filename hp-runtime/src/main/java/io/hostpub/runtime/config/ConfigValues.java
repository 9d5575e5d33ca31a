package io.hostpub.runtime.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The typed, not yet validated values; field names are the configuration keys, so a constraint
 * violation's property path is the key an operator must fix.
 */
final class ConfigValues {
    @Min(1) @Max(65535)
    int supervisorPort = RuntimeConfig.DEFAULT_SUPERVISOR_PORT;

    @NotBlank
    String bindAddress = "127.0.0.1";

    @Size(min = 1, max = 128)
    String instanceName;

    @Min(0)
    int licenseLimit;

    @Min(0) @Max(3_600_000)
    long licenseWaitMs = 10_000;

    @Size(min = 1, max = 4096)
    String secretFile;

    @NotBlank @Size(max = 64)
    String adminUser = "admin";

    @Size(min = 8, max = 256, message = "must have at least 8 characters")
    String adminPassword;

    @Size(max = 512)
    String adminPasswordHash;

    @Min(0) @Max(3_600_000)
    long progressProbeMs;

    @Min(0) @Max(600_000)
    long licenseReclaimMs = RuntimeConfig.DEFAULT_LICENSE_RECLAIM_MS;

    @Min(0) @Max(3_600_000)
    long licenseRosterWaitMs = RuntimeConfig.DEFAULT_LICENSE_ROSTER_WAIT_MS;

    @Min(0) @Max(10_000)
    int licenseLeaseUnits = RuntimeConfig.DEFAULT_LICENSE_LEASE_UNITS;

    @Min(0) @Max(3_600_000)
    long licenseLeaseIdleMs = RuntimeConfig.DEFAULT_LICENSE_LEASE_IDLE_MS;

    @Size(min = 1, max = 64)
    String viewerUser;

    @Size(min = 8, max = 256, message = "must have at least 8 characters")
    String viewerPassword;

    @Size(max = 512)
    String viewerPasswordHash;
}
