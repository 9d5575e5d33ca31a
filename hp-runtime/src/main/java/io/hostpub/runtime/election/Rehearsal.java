package io.hostpub.runtime.election;

import io.hostpub.lifecycle.NamedThreads;
import io.hostpub.runtime.events.EventLog;
import io.hostpub.runtime.license.Licenses;
import io.hostpub.runtime.link.LinkContext;
import io.hostpub.runtime.link.SupervisorLink;
import io.hostpub.runtime.succession.Standby;
import io.hostpub.runtime.supervisor.Supervisor;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;

/**
 * Warm standby. Every new supervisor is a process that has never been one, so without this its takeover runs
 * the supervisor's code for the first time: invokedynamic bootstraps (lambdas, records), class loading and
 * interpretation of RMI's registry, unmarshalling and DGC paths. Measured, that cost a new supervisor
 * ~200 ms of CPU per failover on two cores and dominated failover time.
 *
 * <p>So once a runtime is a subordinate it rehearses in the background: a private supervisor on an ephemeral
 * port of the bind address, and a few links to it from the same JVM, each doing the full session
 * (handshake, registry query, announce with stub and bind, license acquire and release, close). The private
 * supervisor starts as a designated successor does, from a standby that already knows those links, so the takeover
 * (binding them at once, their confirmation) is rehearsed too. It uses its own silent event logs and license books;
 * the real runtime's state is never touched.
 */
final class Rehearsal {

    static final int ROUNDS = 5;

    private Rehearsal() {
    }

    /** Starts {@link #run} on its own thread ({@code hostpub-<name>-rehearsal}); a failure is logged at DEBUG only. */
    static Thread inBackground(String name, java.util.function.Supplier<LinkContext> context,
            java.util.function.BooleanSupplier stopped) {
        return NamedThreads.start(name + "-rehearsal", () -> {
            try {
                run(context.get());
            } catch (Exception e) {
                if (!stopped.getAsBoolean()) {
                    System.getLogger("io.hostpub.runtime").log(System.Logger.Level.DEBUG,
                            "hostpub[" + name + "] warm-standby rehearsal skipped: " + e);
                }
            }
        });
    }

    static void run(LinkContext real) throws Exception {
        Clock clock = Clock.systemUTC();
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(real.config().bindAddress(), 0), 16);
        } catch (java.io.IOException e) {
            server.close();
            throw e;
        }
        var config = real.config().withSupervisorPort(server.getLocalPort()).withLicenseLimit(0).withLicenseReclaimMs(0)
                .withProgressProbeMs(0);
        String base = real.name() + "~rehearsal";
        LinkContext supervisorContext = new LinkContext(base, real.pid(), config, real.secret(),
                EventLog.silent(base, clock), new Licenses(EventLog.silent(base, clock), 5_000), real.adminStub(),
                real.serializedStub(), real.probeScheduler(), real.workPath(), new io.hostpub.runtime.link.RosterMemory(),
                new Standby(base, EventLog.silent(base, clock)));
        // the takeover too: this supervisor starts from a standby that knows the links below, which then confirm
        Standby successorStandby = supervisorContext.standby();
        successorStandby.designate(config.bindAddress(), real.secret(), LinkContext.HANDSHAKE_TIMEOUT_MS);
        for (int round = 0; round < ROUNDS; round++) {
            successorStandby.memberUp(new Standby.Member(base + "-" + round, real.pid(), real.serializedStub()));
        }
        try (successorStandby; Supervisor supervisor = Supervisor.start(supervisorContext, server)) {
            supervisorContext.licenses().acquire(1);
            supervisorContext.licenses().release(1);
            for (int round = 0; round < ROUNDS; round++) {
                String name = base + "-" + round;
                Licenses licenses = new Licenses(EventLog.silent(name, clock), 5_000);
                // each link is designated the successor in turn: its standby registry is created, then released
                Standby standby = new Standby(name, EventLog.silent(name, clock));
                LinkContext linkContext = new LinkContext(name, real.pid(), config, real.secret(),
                        EventLog.silent(name, clock), licenses, real.adminStub(), real.serializedStub(),
                        real.probeScheduler(), real.workPath(), new io.hostpub.runtime.link.RosterMemory(), standby);
                SupervisorLink link = SupervisorLink.connect(linkContext);
                Thread reader = NamedThreads.start(real.name() + "-rehearsal-" + round, link::readLoop);
                try {
                    link.register();
                    licenses.acquire(1);
                    licenses.release(1);
                } finally {
                    link.close();
                    reader.join(5_000);
                    standby.close();
                }
            }
        }
    }
}
