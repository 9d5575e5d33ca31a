package io.hostpub.runtime.link;

import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.runtime.config.RuntimeConfig;
import io.hostpub.runtime.events.EventLog;
import io.hostpub.runtime.license.Licenses;
import io.hostpub.runtime.metrics.RuntimeMetrics;
import io.hostpub.runtime.succession.Standby;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the supervisor and the subordinate link need from their runtime.
 *
 * @param adminStub this instance's exported admin object
 * @param serializedStub the same stub as bytes, sent in ANNOUNCE (serialized once per runtime)
 * @param workPath runs a probe answer after the instance's real work (building its admin summary)
 * @param roster the last roster this runtime's supervisor sent it
 * @param standby this runtime's warm standby, fed while it is the designated successor
 */
public record LinkContext(String name, long pid, RuntimeConfig config, InstallationSecret secret, EventLog events,
        Licenses licenses, AdminServer adminStub, byte[] serializedStub, ScheduledExecutorService probeScheduler,
        Executor workPath, RosterMemory roster, Standby standby, RuntimeMetrics metrics) {

    public static final int HANDSHAKE_TIMEOUT_MS = 5_000;

    /** A context whose counts go nowhere (the warm standby's rehearsal, tests). */
    public LinkContext(String name, long pid, RuntimeConfig config, InstallationSecret secret, EventLog events,
            Licenses licenses, AdminServer adminStub, byte[] serializedStub, ScheduledExecutorService probeScheduler,
            Executor workPath, RosterMemory roster, Standby standby) {
        this(name, pid, config, secret, events, licenses, adminStub, serializedStub, probeScheduler, workPath, roster,
                standby, new RuntimeMetrics());
    }

    public boolean probing() {
        return config.progressProbeMs() > 0;
    }
}
