package io.hostpub.admin.web;

import io.hostpub.coordinator.monitor.Monitor;
import io.hostpub.coordinator.monitor.Monitor.MonitorEndpoint;
import io.hostpub.coordinator.monitor.OperatorIntent;
import io.hostpub.coordinator.plan.ClusterPlan;
import io.hostpub.coordinator.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import io.hostpub.coordinator.store.Stores;
import io.hostpub.coordinator.view.ClusterReport;
import io.hostpub.coordinator.view.ClusterView;
import io.hostpub.coordinator.wire.ClusterClient;
import io.hostpub.coordinator.wire.Json;
import io.hostpub.coordinator.wire.RequestSigner;
import io.hostpub.runtime.HostpubRuntime;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster page's access to the hierarchy: the installation's plan ({@code conf/cluster.json} in this clone's
 * hostpub home), its store, and signed calls to agents and coordinators. One per runtime, kept in the servlet context
 * (its HTTP client is reused); every request reads the plan and opens the store anew (both are cheap, and an edited
 * plan shows at once).
 */
final class ClusterGateway {

    /** What an operator may ask a local coordinator for. */
    enum Operation {
        STOP_JOB("stop-job", true), START_JOB("start-job", true), DRAIN("drain", false), UNDRAIN("undrain", false);

        final String path;
        final boolean job;

        Operation(String path, boolean job) {
            this.path = path;
            this.job = job;
        }

        static Optional<Operation> of(String path) {
            for (Operation operation : values()) {
                if (operation.path.equals(path)) {
                    return Optional.of(operation);
                }
            }
            return Optional.empty();
        }
    }

    private static final String ATTRIBUTE = ClusterGateway.class.getName();

    private final HostpubRuntime runtime;
    private final ClusterClient client;

    private ClusterGateway(HostpubRuntime runtime) {
        this.runtime = runtime;
        this.client = new ClusterClient(new RequestSigner(runtime.secret(), Clock.systemUTC()), Duration.ofSeconds(1));
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

    private Path home() {
        return runtime.config().home();
    }

    boolean configured() {
        return Files.isRegularFile(home().resolve("conf").resolve(ClusterPlan.FILE));
    }

    private ClusterPlan plan() throws AdminFailure {
        if (!configured()) {
            throw new AdminFailure(AdminFailure.Kind.NOT_FOUND, "this installation has no cluster plan ("
                    + home().resolve("conf").resolve(ClusterPlan.FILE) + "): its clones are not supervised by host"
                    + " agents");
        }
        try {
            return ClusterPlan.load(home());
        } catch (IOException e) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, e.getMessage());
        }
    }

    ClusterReport report() throws AdminFailure {
        ClusterPlan plan = plan();
        try (CoordinatorStore store = Stores.open(plan, home())) {
            return new ClusterView(plan, store, client, Clock.systemUTC(), Duration.ofSeconds(2)).report();
        } catch (StoreException e) {
            throw new AdminFailure(AdminFailure.Kind.INSTANCE_UNREACHABLE, "cluster store unavailable: "
                    + e.getMessage());
        }
    }

    /** Sends {@code operation} for a job or node to the local coordinator in charge of it. */
    String operate(Operation operation, String name) throws AdminFailure {
        if (name == null || name.isBlank()) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, operation.path + " needs the parameter "
                    + (operation.job ? "job" : "node"));
        }
        ClusterPlan plan = plan();
        Optional<String> position = operation.job
                ? plan.applications().stream().filter(a -> name.startsWith(a.name() + "/")).map(a -> a.monitor())
                        .findFirst()
                : plan.parentOf(name).map(MonitorPosition::position);
        if (position.isEmpty()) {
            throw new AdminFailure(AdminFailure.Kind.NOT_FOUND, "no " + (operation.job ? "job " : "node ") + name
                    + " in the cluster plan");
        }
        try (CoordinatorStore store = Stores.open(plan, home())) {
            Optional<MonitorEndpoint> endpoint = store.get(Monitor.scope(position.get()), "endpoint")
                    .map(b -> Json.read(b, MonitorEndpoint.class));
            if (endpoint.isEmpty()) {
                throw new AdminFailure(AdminFailure.Kind.INSTANCE_UNREACHABLE, "coordinator " + position.get()
                        + " has never run");
            }
            Map<String, String> body = operation.job ? Map.of("name", name) : Map.of("node", name);
            client.post(new InetSocketAddress(endpoint.get().address(), endpoint.get().port()), "/operator/"
                    + operation.path, body, OperatorIntent.class, Duration.ofSeconds(10));
            return operation.path + " " + name + ": sent to " + position.get();
        } catch (ClusterClient.PeerRefusedException e) {
            throw new AdminFailure(e.status() == 404 ? AdminFailure.Kind.NOT_FOUND : AdminFailure.Kind.REFUSED,
                    e.getMessage());
        } catch (IOException e) {
            throw new AdminFailure(AdminFailure.Kind.INSTANCE_UNREACHABLE, "coordinator " + position.get()
                    + " unreachable: " + e.getMessage());
        } catch (StoreException e) {
            throw new AdminFailure(AdminFailure.Kind.INSTANCE_UNREACHABLE, "cluster store unavailable: "
                    + e.getMessage());
        }
    }
}
