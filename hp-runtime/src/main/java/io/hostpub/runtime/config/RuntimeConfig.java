package io.hostpub.runtime.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated configuration of one runtime instance. Built by {@link ConfigLoader} from the shared
 * {@code hostpub.xml} and {@code hostpub.<key>} system properties, or directly (tests, embedding).
 *
 * @param instanceName empty: derive from the container, else {@code jvm-<pid>}
 * @param licenseLimit 0 = unlimited
 * @param progressProbeMs 0 = off
 * @param licenseReclaimMs how long a new supervisor only takes back re-announced holdings before it grants new
 *        units (0 = grant at once)
 * @param licenseRosterWaitMs how much longer a new supervisor waits for members of the previous supervisor's roster
 *        that are alive but have not re-announced (stopped or hung) before it grants again (0 = not at all)
 * @param licenseLeaseUnits the most units a subordinate keeps leased for local grants (0 = every grant asks the
 *        supervisor)
 * @param licenseLeaseIdleMs how long a subordinate keeps leased units it does not use (0 = until recalled)
 * @param viewer the read-only account of {@code /hpadmin}, if configured
 */
public record RuntimeConfig(Path home, int supervisorPort, InetAddress bindAddress, Optional<String> instanceName,
        int licenseLimit, long licenseWaitMs, Path secretFile, String adminUser, Optional<String> adminPassword,
        Optional<String> adminPasswordHash, long progressProbeMs, long licenseReclaimMs, long licenseRosterWaitMs,
        int licenseLeaseUnits, long licenseLeaseIdleMs, Optional<ViewerAccount> viewer) {

    public static final int DEFAULT_SUPERVISOR_PORT = 30099;
    public static final long DEFAULT_LICENSE_RECLAIM_MS = 1_000;
    public static final long DEFAULT_LICENSE_ROSTER_WAIT_MS = 30_000;
    public static final int DEFAULT_LICENSE_LEASE_UNITS = 8;
    public static final long DEFAULT_LICENSE_LEASE_IDLE_MS = 500;

    public RuntimeConfig {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(instanceName, "instanceName");
        Objects.requireNonNull(secretFile, "secretFile");
        Objects.requireNonNull(adminUser, "adminUser");
        Objects.requireNonNull(adminPassword, "adminPassword");
        Objects.requireNonNull(adminPasswordHash, "adminPasswordHash");
        Objects.requireNonNull(viewer, "viewer");
        if (viewer.isPresent() && viewer.get().user().equals(adminUser)) {
            throw new ConfigException("invalid configuration key 'viewerUser': '" + adminUser + "' is the"
                    + " administrator's user name (adminUser); the read-only role needs a name of its own");
        }
    }

    /** Defaults for an installation home, loopback bind: what an absent file means. */
    public static RuntimeConfig defaults(Path home) {
        try {
            return new RuntimeConfig(home, DEFAULT_SUPERVISOR_PORT, InetAddress.getByName("127.0.0.1"), Optional.empty(),
                    0, 10_000, home.resolve("conf").resolve("secret"), "admin", Optional.empty(), Optional.empty(), 0,
                    DEFAULT_LICENSE_RECLAIM_MS, DEFAULT_LICENSE_ROSTER_WAIT_MS, DEFAULT_LICENSE_LEASE_UNITS,
                    DEFAULT_LICENSE_LEASE_IDLE_MS, Optional.empty());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public RuntimeConfig withSupervisorPort(int port) {
        return new RuntimeConfig(home, port, bindAddress, instanceName, licenseLimit, licenseWaitMs, secretFile,
                adminUser, adminPassword, adminPasswordHash, progressProbeMs, licenseReclaimMs,
                licenseRosterWaitMs, licenseLeaseUnits, licenseLeaseIdleMs, viewer);
    }

    public RuntimeConfig withInstanceName(String name) {
        return new RuntimeConfig(home, supervisorPort, bindAddress, Optional.ofNullable(name), licenseLimit,
                licenseWaitMs, secretFile, adminUser, adminPassword, adminPasswordHash, progressProbeMs, licenseReclaimMs,
                licenseRosterWaitMs, licenseLeaseUnits, licenseLeaseIdleMs, viewer);
    }

    public RuntimeConfig withLicenseLimit(int limit) {
        return new RuntimeConfig(home, supervisorPort, bindAddress, instanceName, limit, licenseWaitMs, secretFile,
                adminUser, adminPassword, adminPasswordHash, progressProbeMs, licenseReclaimMs,
                licenseRosterWaitMs, licenseLeaseUnits, licenseLeaseIdleMs, viewer);
    }

    public RuntimeConfig withLicenseWaitMs(long waitMs) {
        return new RuntimeConfig(home, supervisorPort, bindAddress, instanceName, licenseLimit, waitMs, secretFile,
                adminUser, adminPassword, adminPasswordHash, progressProbeMs, licenseReclaimMs,
                licenseRosterWaitMs, licenseLeaseUnits, licenseLeaseIdleMs, viewer);
    }

    public RuntimeConfig withProgressProbeMs(long probeMs) {
        return new RuntimeConfig(home, supervisorPort, bindAddress, instanceName, licenseLimit, licenseWaitMs,
                secretFile, adminUser, adminPassword, adminPasswordHash, probeMs, licenseReclaimMs, licenseRosterWaitMs,
                licenseLeaseUnits, licenseLeaseIdleMs, viewer);
    }

    public RuntimeConfig withSecretFile(Path file) {
        return new RuntimeConfig(home, supervisorPort, bindAddress, instanceName, licenseLimit, licenseWaitMs, file,
                adminUser, adminPassword, adminPasswordHash, progressProbeMs, licenseReclaimMs,
                licenseRosterWaitMs, licenseLeaseUnits, licenseLeaseIdleMs, viewer);
    }

    public RuntimeConfig withLicenseReclaimMs(long reclaimMs) {
        return new RuntimeConfig(home, supervisorPort, bindAddress, instanceName, licenseLimit, licenseWaitMs,
                secretFile, adminUser, adminPassword, adminPasswordHash, progressProbeMs, reclaimMs,
                licenseRosterWaitMs, licenseLeaseUnits, licenseLeaseIdleMs, viewer);
    }

    public RuntimeConfig withLicenseRosterWaitMs(long rosterWaitMs) {
        return new RuntimeConfig(home, supervisorPort, bindAddress, instanceName, licenseLimit, licenseWaitMs,
                secretFile, adminUser, adminPassword, adminPasswordHash, progressProbeMs, licenseReclaimMs,
                rosterWaitMs, licenseLeaseUnits, licenseLeaseIdleMs, viewer);
    }

    public RuntimeConfig withLicenseLease(int units, long idleMs) {
        return new RuntimeConfig(home, supervisorPort, bindAddress, instanceName, licenseLimit, licenseWaitMs,
                secretFile, adminUser, adminPassword, adminPasswordHash, progressProbeMs, licenseReclaimMs,
                licenseRosterWaitMs, units, idleMs, viewer);
    }

    public RuntimeConfig withViewer(Optional<ViewerAccount> account) {
        return new RuntimeConfig(home, supervisorPort, bindAddress, instanceName, licenseLimit, licenseWaitMs,
                secretFile, adminUser, adminPassword, adminPasswordHash, progressProbeMs, licenseReclaimMs,
                licenseRosterWaitMs, licenseLeaseUnits, licenseLeaseIdleMs, account);
    }

    /**
     * Fails unless {@link #bindAddress()} is an address of this host: binding another one fails deep inside RMI as
     * "Port already in use: 0". Only a runtime that binds calls this; clients may name other machines' addresses.
     */
    public void requireOwnBindAddress() {
        boolean own;
        try {
            own = bindAddress.isAnyLocalAddress() || bindAddress.isLoopbackAddress()
                    || java.net.NetworkInterface.getByInetAddress(bindAddress) != null;
        } catch (java.net.SocketException e) {
            own = true; // cannot tell: let the bind say
        }
        if (!own) {
            throw new ConfigException("invalid configuration key 'bindAddress': '" + bindAddress.getHostAddress()
                    + "' is not an address of this host (give one of its own addresses, or 127.0.0.1)");
        }
    }
}
