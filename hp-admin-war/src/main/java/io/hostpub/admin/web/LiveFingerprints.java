package io.hostpub.admin.web;

import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.coordinator.api.report.ClusterReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * What a live page shows, boiled down to a short text that changes when the page would: the machine's supervisor and
 * its instances with role and pid (a failover, a join, a departure, a restart), or the cluster's coordinators and jobs
 * with their states. Up times and statistics that move every second are left out, so a quiet machine stays quiet.
 */
final class LiveFingerprints {

    private LiveFingerprints() {
    }

    static String of(MachineView view) {
        return digest(view.supervisor() + "|" + view.instances().stream()
                .sorted(Comparator.comparing(InstanceSummary::name))
                .map(i -> i.name() + ":" + i.role() + ":" + i.pid())
                .collect(Collectors.joining(",")));
    }

    static String of(ClusterReport report) {
        String monitors = report.monitors().stream().map(m -> m.position() + ":" + m.state() + ":" + m.pid())
                .sorted().collect(Collectors.joining(","));
        String agents = report.agents().stream().map(a -> a.node() + ":" + a.state() + "[" + a.jobs().stream()
                .map(j -> j.spec().name() + ":" + j.state() + ":" + j.pid() + ":" + j.healthy())
                .sorted().collect(Collectors.joining(",")) + "]").sorted().collect(Collectors.joining(","));
        return digest(monitors + "|" + agents);
    }

    /** A failure is a state of the page too: it shows the message. */
    static String failure(String message) {
        return digest("failure|" + message);
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
