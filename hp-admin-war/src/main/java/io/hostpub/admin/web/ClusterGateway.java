package io.hostpub.admin.web;

import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterTls;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.api.Route;
import io.hostpub.coordinator.api.operator.OperatorReceipt;
import io.hostpub.coordinator.api.operator.OperatorRequest.Operation;
import io.hostpub.coordinator.api.operator.OperatorRequest;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.runtime.HostpubRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The cluster page's access to the hierarchy: it reads the installation's plan ({@code conf/cluster.json} in this
 * clone's hostpub home) to find the agents, and asks one of them over the signed cluster wire, this machine's first.
 * The agent, which holds the store open anyway, builds the report and relays operator requests; the WAR itself never
 * opens the store (no ZooKeeper session or journal lock inside a servlet container) and starts no thread. One per
 * runtime, kept in the servlet context; every request reads the plan anew (cheap, and an edited plan shows at once).
 */
final class ClusterGateway {

    private static final String ATTRIBUTE = ClusterGateway.class.getName();
    /** The agent asks every coordinator and agent for its status, two seconds at most each. */
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(20);
    /** The agent relays to the coordinator, which waits up to ten seconds for its poll cycle. */
    private static final Duration OPERATOR_TIMEOUT = Duration.ofSeconds(15);
    /** Agents tried before the page says the cluster cannot be reached: bounds the wait when nodes are cut off. */
    private static final int AGENTS_TRIED = 3;

    private final HostpubRuntime runtime;
    private final RequestSigner signer;

    private ClusterGateway(HostpubRuntime runtime) {
        this.runtime = runtime;
        this.signer = new RequestSigner(runtime.secret(), Clock.systemUTC());
    }

    /** The gateway of the running runtime (a new one when the runtime changed), or 503 when none runs. */
    static ClusterGateway of(jakarta.servlet.ServletContext context) throws AdminFailure {
        HostpubRuntime runtime = WebContext.runtime(context).orElseThrow(() -> new AdminFailure(
                AdminFailure.Kind.NO_SUPERVISOR, WebContext.NOT_STARTED));
        synchronized (context) {
            if (context.getAttribute(ATTRIBUTE) instanceof ClusterGateway cached && cached.runtime == runtime) {
                return cached;
            }
            ClusterGateway gateway = new ClusterGateway(runtime);
            context.setAttribute(ATTRIBUTE, gateway);
            return gateway;
        }
    }

    private Path planFile() {
        return runtime.config().home().resolve("conf").resolve(ClusterPlan.FILE);
    }

    boolean configured() {
        return Files.isRegularFile(planFile());
    }

    private ClusterPlan plan() throws AdminFailure {
        if (!configured()) {
            throw new AdminFailure(AdminFailure.Kind.NOT_FOUND, "this installation has no cluster plan ("
                    + planFile() + "): its clones are not supervised by host agents");
        }
        try {
            return ClusterPlan.load(runtime.config().home());
        } catch (IOException e) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, e.getMessage());
        }
    }

    ClusterReport report() throws AdminFailure {
        return report(REPORT_TIMEOUT);
    }

    /**
     * The report within {@code timeout} per agent asked: a scrape (Prometheus gives up after 10 s by default) or a live
     * page's tick asks for less than a person waiting for the Cluster page does.
     */
    ClusterReport report(Duration timeout) throws AdminFailure {
        return ask(ClusterRoutes.CLUSTER_REPORT, NoBody.INSTANCE, timeout);
    }

    /**
     * Sends {@code operation} through an agent: a job or node operation to the local coordinator in charge of it; a
     * shutdown or start of a scope to the agent itself, only when {@code confirmed} (it stops or starts a whole part
     * of the installation).
     *
     * @param by the administrator asking, kept with a shutdown order
     */
    String operate(Operation operation, String name, boolean confirmed, String by) throws AdminFailure {
        if (name == null || name.isBlank()) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, operation.path() + " needs the parameter "
                    + operation.parameter());
        }
        boolean scoped = operation == Operation.SHUTDOWN || operation == Operation.START;
        if (scoped && !confirmed) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, operation.path() + " of " + name + " "
                    + (operation == Operation.SHUTDOWN ? "stops every job, agent and coordinator under it and keeps"
                            + " them stopped" : "starts its agents and coordinators again")
                    + ": confirm it (the form's checkbox, or confirm=yes)");
        }
        OperatorReceipt receipt = ask(ClusterRoutes.CLUSTER_OPERATOR, new OperatorRequest(operation, name, by),
                OPERATOR_TIMEOUT);
        if (scoped || operation == Operation.ABORT_ROLLOUT) {
            return operation.path() + " " + name + ": " + (receipt.done().isEmpty() ? "nothing to launch, every"
                    + " agent and coordinator answers" : String.join("; ", receipt.done()));
        }
        return operation.path() + " " + name + ": sent to " + receipt.position();
    }

    /**
     * The cluster job whose process is {@code pid} on the machine at {@code host}, when this installation has a
     * cluster plan and an agent there reports it.
     *
     * @throws AdminFailure when the installation has a plan but the cluster cannot be asked (then nobody can tell
     *                      whether an agent would restart the process)
     */
    static java.util.Optional<String> jobOf(jakarta.servlet.ServletContext context, String host, long pid)
            throws AdminFailure {
        ClusterGateway gateway = of(context);
        if (!gateway.configured()) {
            return java.util.Optional.empty();
        }
        ClusterReport report;
        try {
            report = gateway.report();
        } catch (AdminFailure e) {
            throw new AdminFailure(AdminFailure.Kind.INSTANCE_UNREACHABLE, "cannot tell whether the process is a"
                    + " supervised job (its agent would start it again): " + e.getMessage());
        }
        for (ClusterReport.AgentReport agent : report.agents()) {
            String agentHost = agent.address().substring(0, agent.address().lastIndexOf(':'));
            if (!sameMachine(agentHost, host)) {
                continue;
            }
            for (var job : agent.jobs()) {
                if (job.pid() == pid && job.state().isLive()) {
                    return java.util.Optional.of(job.name());
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static boolean sameMachine(String agentHost, String host) {
        try {
            InetAddress a = InetAddress.getByName(agentHost);
            InetAddress b = InetAddress.getByName(host);
            return a.equals(b) || (NetworkInterface.getByInetAddress(a) != null || a.isLoopbackAddress())
                    && (NetworkInterface.getByInetAddress(b) != null || b.isLoopbackAddress());
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }

    /** Asks the first agent that answers; a refusal is the answer, silence moves on to the next agent. */
    private <Q, R> R ask(Route<Q, R> route, Q request, Duration timeout) throws AdminFailure {
        ClusterPlan plan = plan();
        ClusterClient client;
        try {
            client = new ClusterWire(signer, ClusterTls.of(plan)).client(Duration.ofSeconds(1));
        } catch (IOException e) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, e.getMessage());
        }
        List<String> silent = new ArrayList<>();
        for (ClusterPlan.Node node : agentsToAsk(plan)) {
            try {
                return client.call(plan.agentEndpoint(node.name()), route, request, timeout);
            } catch (ClusterRefusal e) {
                throw failure(node, e);
            } catch (IOException e) {
                silent.add("agent " + node.name() + " (" + node.address() + ":" + plan.agentPort() + "): "
                        + e.getMessage());
            }
        }
        throw new AdminFailure(AdminFailure.Kind.INSTANCE_UNREACHABLE, "no agent of the cluster answers: "
                + String.join("; ", silent));
    }

    /** This machine's agent first (the node at the runtime's bind address, then any local address), then others. */
    private List<ClusterPlan.Node> agentsToAsk(ClusterPlan plan) {
        String bind = runtime.config().bindAddress().getHostAddress();
        return plan.nodes().stream()
                .sorted(Comparator.comparingInt(node -> node.address().equals(bind) ? 0 : isLocal(node) ? 1 : 2))
                .limit(AGENTS_TRIED).toList();
    }

    private static boolean isLocal(ClusterPlan.Node node) {
        try {
            return NetworkInterface.getByInetAddress(InetAddress.getByName(node.address())) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }

    private static AdminFailure failure(ClusterPlan.Node node, ClusterRefusal refusal) {
        AdminFailure.Kind kind = switch (refusal.status()) {
            case 400 -> AdminFailure.Kind.BAD_REQUEST;
            case 401 -> AdminFailure.Kind.FOREIGN_PROGRAM;
            case 404 -> AdminFailure.Kind.NOT_FOUND;
            case 502 -> AdminFailure.Kind.INSTANCE_UNREACHABLE;
            default -> AdminFailure.Kind.REFUSED;
        };
        String message = refusal.status() == 401 ? "agent " + node.name() + " refused this installation's secret: "
                + refusal.getMessage() : refusal.getMessage();
        return new AdminFailure(kind, message);
    }
}
