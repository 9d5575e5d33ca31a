package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.transport.DeadlineInputStream;
import io.hostpub.admin.api.transport.HandshakeSlots;
import io.hostpub.admin.api.wire.Handshake;
import io.hostpub.admin.api.wire.HandshakeException;
import io.hostpub.admin.api.wire.Message;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.NamedThreads;
import io.hostpub.runtime.link.LinkContext;
import io.hostpub.runtime.link.LinkSocket;
import io.hostpub.runtime.link.ProgressProbe;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.util.Optional;

/**
 * The supervisor's side of one link, on its own thread (seed steps 506-512): handshake, answer the
 * registry query, admit the announced name, serve license requests and probes, and on any read error
 * report the link lost. A bad frame closes this link only, never the accept loop. It owns the accepted socket from
 * its construction: {@link #start()} starts its thread, {@link #close()} (from the supervisor, or from that thread
 * when the link ends) closes the socket and the probe.
 */
final class SubordinateSession extends LifeCycle<RuntimeException> {

    /**
     * The kernel buffering a link gets for frames to its peer. Links carry small control frames, one exchange at a
     * time; a fixed size (which also turns off the kernel's growth of it to megabytes) bounds what a stopped peer
     * absorbs before a guarded send to it misses its deadline.
     */
    static final int SEND_BUFFER_BYTES = 64 * 1024;
    /** The protocol version that added SUCCESSOR, MEMBER_UP and MEMBER_DOWN. */
    static final int SUCCESSION_VERSION = 3;

    private final Supervisor supervisor;
    private final LinkContext context;
    private final Socket socket;
    private final NamedThreads threads;
    volatile Thread thread;
    private volatile LinkSocket link;
    private volatile String name;
    private volatile long pid = -1;
    private volatile ProgressProbe probe;
    private volatile boolean hung;
    /** The protocol version agreed in the handshake: 3 and later can stand by as successor. */
    private volatile int version;
    /** The admin stub as announced, for the designated successor's standby. */
    private volatile byte[] announcedStub;
    private final HandshakeSlots.Slot handshakeSlot;
    private final long acceptedNanos = System.nanoTime();

    SubordinateSession(Supervisor supervisor, LinkContext context, Socket socket, NamedThreads threads,
            HandshakeSlots.Slot handshakeSlot) {
        super("link of " + context.name() + " from " + socket.getRemoteSocketAddress());
        this.supervisor = supervisor;
        this.context = context;
        this.socket = socket;
        this.threads = threads;
        this.handshakeSlot = handshakeSlot;
    }

    @Override
    protected void doStart() {
        thread = threads.newThread(this::run);
        thread.start();
    }

    long pid() {
        return pid;
    }

    /** True if the peer speaks the succession messages (version 3 or later) and can stand by as successor. */
    boolean canSucceed() {
        return version >= SUCCESSION_VERSION;
    }

    /** True if the peer speaks the lease messages (version 4 or later): it may keep a reserve of units. */
    boolean leases() {
        return version >= io.hostpub.runtime.link.SupervisorLink.LEASE_VERSION;
    }

    /** The registered name (null before ACCEPTED). */
    String name() {
        return name;
    }

    /** The serialized admin stub it announced (null before ANNOUNCE). */
    byte[] announcedStub() {
        return announcedStub;
    }

    /** True once the progress probe declared the peer hung (its process may still be alive). */
    boolean hung() {
        return hung;
    }

    void trySend(Message message) {
        LinkSocket l = link;
        if (l != null) {
            l.trySend(message);
        }
    }

    /**
     * Sends from a thread that serves every link: a peer that has not taken the frame within the deadline is declared
     * hung (its units stay counted until it returns or its process exits) and its link is closed.
     */
    void sendWithin(Message message, SendDeadline deadline) {
        LinkSocket l = link;
        if (l != null) {
            deadline.send(l, message, () -> {
                hung = true;
                context.events().warn(EventKind.LINK_DOWN, "subordinate " + (name != null ? name : l.peer())
                        + " took no " + message.type() + " frame for " + deadline.deadlineMs()
                        + " ms (a stopped process with its buffers full?): declared hung, link closed");
            });
        }
    }

    private void run() {
        String why;
        try {
            socket.setSendBufferSize(SEND_BUFFER_BYTES);
            link = new LinkSocket(socket);
            // one deadline for the whole handshake, counted from the accept: a peer trickling bytes cannot stretch it
            version = new Handshake(context.secret()).asServer(new DeadlineInputStream(socket, link.in(),
                    acceptedNanos, LinkContext.HANDSHAKE_TIMEOUT_MS), link.out());
            link.setReadTimeout(LinkContext.HANDSHAKE_TIMEOUT_MS);
            handshakeSlot.release();
            why = serve();
        } catch (HandshakeException e) {
            supervisor.foreign(socket.getRemoteSocketAddress() + "", e.failure() + ": " + e.getMessage());
            why = "handshake failed";
        } catch (EOFException e) {
            why = "end of stream";
        } catch (IOException e) {
            why = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            why = "internal error: " + e;
            context.events().warn(EventKind.LINK_DOWN, "link " + Thread.currentThread().getName() + " failed: " + e);
        } finally {
            // idempotent: also when the socket failed before the handshake began, or the slot was taken from it
            handshakeSlot.release();
            close();
        }
        supervisor.ended(this, name, why);
    }

    private String serve() throws IOException {
        while (true) {
            Message message = link.read();
            if (message instanceof Message.RegistryQuery) {
                link.send(new Message.RegistryInfo(supervisor.registryPort(), supervisor.name()));
            } else if (message instanceof Message.Announce announce) {
                if (name != null) {
                    return protocolError("announced twice");
                }
                if (announce.pid() <= 0) {
                    return protocolError("announced pid " + announce.pid() + " is not a process id");
                }
                AnnouncedStub stub = new AnnouncedStub(announce.stub(), context.secret());
                // set first: the roster sent to every member on admission names this pid, the successor gets the stub
                pid = announce.pid();
                announcedStub = announce.stub();
                Optional<Message.Rejected> refused = supervisor.membership().admit(announce.name(), this,
                        announce.holdings(), stub);
                if (refused.isPresent()) {
                    Message.Rejected rejection = refused.get();
                    context.events().warn(EventKind.REJECTED, "rejected pid " + announce.pid() + ": "
                            + rejection.reason());
                    link.send(rejection);
                    return "rejected: " + rejection.reason();
                }
                name = announce.name();
                Thread.currentThread().setName("hostpub-" + context.name() + "-link-" + name);
                link.setReadTimeout(0);
                link.send(new Message.Accepted());
                supervisor.membership().accepted(this);
                context.events().record(EventKind.LINK_UP, "subordinate " + name + " (pid " + pid + ") registered with "
                        + announce.holdings() + " license unit(s)");
                try {
                    // bound and accepted already: now read the stub, with RMI's DGC call to the subordinate
                    stub.resolve();
                } catch (IOException e) {
                    return protocolError("announced stub refused: " + e.getMessage());
                }
                if (context.probing()) {
                    String who = name;
                    probe = new ProgressProbe(context.probeScheduler(), link, context.config().progressProbeMs(),
                            silence -> {
                                hung = true;
                                context.events().warn(EventKind.PROBE, "subordinate " + who + " declared dead: "
                                        + silence);
                            }, context.metrics());
                }
            } else if (message instanceof Message.LicenseAcquire acquire) {
                if (name == null) {
                    return protocolError("license request before announce");
                }
                supervisor.licenses().requestFromLink(this, name, acquire.requestId(), acquire.units(), 0);
            } else if (message instanceof Message.LicenseLease lease) {
                if (name == null) {
                    return protocolError("license lease before announce");
                }
                supervisor.licenses().requestFromLink(this, name, lease.requestId(), lease.units(), lease.lease());
            } else if (message instanceof Message.LeaseReturn returned) {
                if (name == null) {
                    return protocolError("lease return before announce");
                }
                supervisor.licenses().returned(name, returned.units());
            } else if (message instanceof Message.LicenseRelease release) {
                if (name == null) {
                    return protocolError("license release before announce");
                }
                supervisor.licenses().release(name, release.units());
            } else if (message instanceof Message.Roster roster) {
                if (name == null) {
                    return protocolError("roster before announce");
                }
                supervisor.membership().learnRoster(roster.pids());
            } else if (message instanceof Message.Probe probeRequest) {
                context.workPath().execute(() -> link.trySend(new Message.ProbeAck(probeRequest.sequence())));
            } else if (message instanceof Message.ProbeAck ack) {
                ProgressProbe p = probe;
                if (p != null) {
                    p.answered(ack.sequence());
                }
            } else {
                return protocolError("unexpected " + message.type());
            }
        }
    }

    private String protocolError(String what) {
        link.trySend(new Message.Failure(what));
        context.events().warn(EventKind.LINK_DOWN, "link from " + (name != null ? name : link.peer())
                + " closed: protocol violation: " + what);
        return "protocol violation: " + what;
    }

    @Override
    protected void doStop() {
        ProgressProbe p = probe;
        if (p != null) {
            p.close();
        }
        Supervisor.closeQuietly(socket);
    }
}
