package io.hostpub.coordinator.api.plan;

import io.hostpub.admin.api.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading a plan file, and the plans derived from one (a changed application count). */
public final class PlanFiles {

    private PlanFiles() {
    }

    /**
     * Reads and validates a plan {@code file} of the installation at {@code home} (TLS paths resolve against it); a
     * missing or invalid file is an {@link IOException} naming the file and what is wrong.
     */
    public static ClusterPlan read(Path file, Path home) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no cluster plan: " + file + " does not exist");
        }
        try {
            ClusterPlan plan = Json.read(Files.readAllBytes(file), ClusterPlan.class);
            return plan.tls() == null ? plan : new ClusterPlan(plan.pollIntervalMs(), plan.agentPort(),
                    plan.monitorPort(), plan.store(), plan.nodes(), plan.monitors(), plan.applications(),
                    plan.launcher(), plan.tls().resolve(home));
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid cluster plan " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code plan} with application {@code name}'s count set to {@code count} (validated as any plan). */
    public static ClusterPlan withCount(ClusterPlan plan, String name, int count) {
        List<ClusterPlan.Application> applications = new ArrayList<>();
        boolean found = false;
        for (ClusterPlan.Application a : plan.applications()) {
            if (a.name().equals(name)) {
                found = true;
                a = a.withCount(count);
            }
            applications.add(a);
        }
        if (!found) {
            throw new IllegalArgumentException("no application " + name + " in the plan; its applications are "
                    + plan.applications().stream().map(ClusterPlan.Application::name).toList());
        }
        return new ClusterPlan(plan.pollIntervalMs(), plan.agentPort(), plan.monitorPort(), plan.store(),
                plan.nodes(), plan.monitors(), applications, plan.launcher(), plan.tls());
    }
}
