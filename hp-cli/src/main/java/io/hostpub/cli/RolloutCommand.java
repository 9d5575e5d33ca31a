package io.hostpub.cli;

import io.hostpub.admin.api.wire.InstallationPaths;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.rollout.Rollout;
import io.hostpub.coordinator.api.rollout.Rollout.Phase;
import io.hostpub.coordinator.api.rollout.Rollout.Step;
import io.hostpub.coordinator.plan.LivePlan;
import io.hostpub.coordinator.rollout.Rollouts;
import io.hostpub.coordinator.rollout.WarVersions;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Stores;
import io.hostpub.coordinator.view.ClusterView;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hpctl rollout APP --war FILE}: replaces the WAR of an application's members a few at a time (the
 * application's local coordinator does it, so the rollout goes on when this command ends or its coordinator fails
 * over), printing each member's step until it ends; {@code --status} shows the last one, {@code --abort} rolls back.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = {"Roll a new WAR out over an application's members: at most --max-unavailable of them replaced "
                + "at a time, each waited for until it serves (healthy on its health path) on the new version; when "
                + "more than --failure-budget members fail, every replaced member goes back to the previous version. "
                + "The WAR is kept as <home>/wars/APP/APP##VERSION.war (Tomcat's parallel deployment names).",
                "Exit 0 when the rollout completed, 1 when it rolled back or is still running after --wait, "
                        + "2 for bad input (nothing changes)."})
final class RolloutCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "APP", description = "the application (its command deploys {war})")
    String application;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--war", paramLabel = "FILE", description = "the new WAR to roll out")
        Path war;

        @Option(names = "--abort", description = "stop the running rollout and roll every replaced member back")
        boolean abort;

        @Option(names = "--status", description = "print the application's last rollout (and wait for it with"
                + " --wait while it runs)")
        boolean status;
    }

    @Option(names = "--version", paramLabel = "LABEL",
            description = "the new version's name (default: the rollout's number, 0001 for the first)")
    String version;

    @Option(names = "--max-unavailable", paramLabel = "N", defaultValue = "1",
            description = "members that may be unavailable at once, counting those down for other reasons")
    int maxUnavailable;

    @Option(names = "--failure-budget", paramLabel = "N", defaultValue = "0",
            description = "members that may fail on the new version (and stay on the old) before it rolls back")
    int failureBudget;

    @Option(names = "--step-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "how long a member has to serve on the new version before it counts as failed (1-3600)")
    int stepTimeout;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "1800",
            description = "how long to print progress (0: start it and return; Ctrl-C stops the printing, not the"
                    + " rollout)")
    int waitSeconds;

    @Override
    public Integer call() throws Exception {
        if (waitSeconds < 0 || waitSeconds > 86_400) {
            throw new IllegalArgumentException("--wait must be 0-86400 seconds, not " + waitSeconds);
        }
        Path home = InstallationPaths.fromEnvironment().home();
        ClusterPlan base = ClusterCommand.plan(home);
        String by = System.getProperty("user.name") + " (hpctl)";
        try (CoordinatorStore store = Stores.open(base, home)) {
            Rollout rollout;
            if (action.status) {
                rollout = Rollouts.read(store, application).orElseThrow(() -> new IllegalArgumentException(
                        "application " + application + " has had no rollout"));
                System.out.println(ClusterView.describe(rollout));
            } else if (action.abort) {
                rollout = Rollouts.abort(store, application, by, Clock.systemUTC().instant());
                System.out.println("aborted: " + ClusterView.describe(rollout));
            } else {
                rollout = start(home, base, store, by);
            }
            return waitSeconds == 0 && !action.status ? Hpctl.OK : watch(store, rollout);
        }
    }

    private Rollout start(Path home, ClusterPlan base, CoordinatorStore store, String by) throws Exception {
        ClusterPlan plan = new LivePlan(base, store).current();
        if (plan.applications().stream().noneMatch(a -> a.name().equals(application))) {
            throw new IllegalArgumentException("no application " + application + " in the plan in force; its"
                    + " applications are " + plan.applications().stream().map(ClusterPlan.Application::name).toList()
                    + " (nothing changed)");
        }
        if (maxUnavailable < 1 || failureBudget < 0 || stepTimeout < 1 || stepTimeout > 3600) {
            throw new IllegalArgumentException("--max-unavailable must be 1 or more, --failure-budget 0 or more,"
                    + " --step-timeout 1-3600 s (nothing changed)");
        }
        Optional<Rollout> last = Rollouts.read(store, application);
        Rollouts.refuseWhileRunning(last); // before the WAR is kept: a refused rollout leaves nothing behind
        String label = version != null ? version : String.format("%04d", last.map(Rollout::number).orElse(0) + 1);
        Rollout.Version to;
        try {
            to = WarVersions.keep(home, application, label, action.war.toAbsolutePath());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (nothing changed)", e);
        }
        Rollout rollout = Rollouts.start(store, plan, application, to, maxUnavailable, failureBudget,
                Duration.ofSeconds(stepTimeout), by, Clock.systemUTC().instant());
        try {
            new io.hostpub.coordinator.rollout.WarShelf(home).prune(rollout); // versions no member can run again
        } catch (java.io.IOException e) {
            System.err.println("warning: older versions of " + application + " not deleted: " + e.getMessage());
        }
        if (plan.nodes().stream().noneMatch(node -> isThisMachine(node.address()))) {
            System.err.println("warning: this machine is no node of the plan, so no agent here passes version " + label
                    + " on to the nodes: they can run it only where " + to.war() + " is readable on them (a shared"
                    + " file system); run hpctl rollout on a node, with its home");
        }
        System.out.println("rollout " + rollout.number() + " of " + application + ": version "
                + rollout.from().label() + " -> " + to.label() + " (" + to.war() + ") over "
                + rollout.members().size() + " member(s), at most " + maxUnavailable + " unavailable, failure"
                + " budget " + failureBudget);
        return rollout;
    }

    /** Whether {@code address} is one of this machine's own (a node's agent here serves what this home keeps). */
    private static boolean isThisMachine(String address) {
        try {
            return java.net.NetworkInterface.getByInetAddress(java.net.InetAddress.getByName(address)) != null;
        } catch (java.io.IOException e) {
            return false; // a name that does not resolve here is no address of this machine
        }
    }

    /** Prints each member's change until the rollout ends or the wait is over. */
    private int watch(CoordinatorStore store, Rollout first) throws Exception {
        long began = System.nanoTime();
        long deadline = began + TimeUnit.SECONDS.toNanos(waitSeconds);
        Rollout seen = first;
        while (seen.inProgress() && System.nanoTime() < deadline) {
            Thread.sleep(250); // the coordinator steps once per poll cycle; a quarter second shows every step
            Optional<Rollout> now;
            try {
                now = Rollouts.read(store, application);
            } catch (io.hostpub.coordinator.store.StoreException e) {
                continue; // the store recovers or the wait ends; the rollout itself goes on
            }
            if (now.isEmpty() || now.get().revision() == seen.revision()) {
                continue;
            }
            print(seen, now.get(), (System.nanoTime() - began) / 1_000_000);
            seen = now.get();
        }
        if (seen.inProgress()) {
            System.err.println("hpctl: the rollout still runs after " + waitSeconds + " s (" + seen.progress()
                    + "); it goes on: hpctl rollout " + application + " --status");
            return Hpctl.FAILED;
        }
        System.out.println(seen.phase() + ": " + seen.message());
        return seen.phase() == Phase.COMPLETED ? Hpctl.OK : Hpctl.FAILED;
    }

    private static void print(Rollout before, Rollout after, long millis) {
        for (Map.Entry<String, Step> member : after.members().entrySet()) {
            Step was = before.members().get(member.getKey());
            Step is = member.getValue();
            if (was == null || was.state() != is.state() || !was.version().equals(is.version())) {
                System.out.printf("%7.1f s  %-24s %-9s version %s%n", millis / 1000.0, member.getKey(), is.state(),
                        is.version());
            }
        }
        if (before.phase() != after.phase() || !before.message().equals(after.message())) {
            System.out.printf("%7.1f s  %s: %s%n", millis / 1000.0, after.phase(), after.message());
        }
    }
}
