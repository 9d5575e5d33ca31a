package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.job.JobRecord;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StoreException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A new agent of a node finds the node's port taken. If the holder is the node's previous agent (the node's fence names
 * its pid; its command line names this installation's home and the node) and it does not answer a status call, it is
 * hung (SIGSTOP, a livelock): its coordinator has already waited out its silence and started this agent to replace it.
 * The hung one is killed with SIGKILL so the new one can listen (its jobs are not its children's fate: they outlive it
 * and are adopted). A holder that answers, or any other program, is left alone and the new agent gives up as before.
 */
final class HungPredecessor {

    private static final System.Logger LOG = System.getLogger(HungPredecessor.class.getName());
    private static final Pattern PID = Pattern.compile("^agent (\\S+) pid (\\d+)$");

    private HungPredecessor() {
    }

    /**
     * @param answerWithin how long the holder gets to answer a status call before it counts as hung
     * @return true if a hung predecessor was found and is gone (the port is free to bind again)
     */
    static boolean evict(String node, Path home, InetSocketAddress endpoint, CoordinatorStore store,
            ClusterClient client, Duration answerWithin) throws StoreException {
        Optional<ProcessHandle> holder = store.current(JobRecord.scope(node)).map(Fence::holder).flatMap(h -> {
            Matcher m = PID.matcher(h);
            return m.matches() && m.group(1).equals(node) ? ProcessHandle.of(Long.parseLong(m.group(2)))
                    : Optional.empty();
        }).filter(p -> p.pid() != ProcessHandle.current().pid() && isAgentOf(p, node, home));
        if (holder.isEmpty()) {
            return false;
        }
        try {
            client.call(endpoint, ClusterRoutes.AGENT_STATUS, NoBody.INSTANCE, answerWithin);
            return false; // it answers: a live agent of this node, not ours to replace
        } catch (IOException | RuntimeException silent) {
            LOG.log(Level.WARNING, "agent {0}: the previous agent (pid {1}) holds {2} but does not answer ({3}):"
                    + " hung; killing it to take over", node, String.valueOf(holder.get().pid()), endpoint,
                    silent.toString());
        }
        holder.get().destroyForcibly();
        try {
            holder.get().onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception stillThere) {
            return false;
        }
        return true;
    }

    private static boolean isAgentOf(ProcessHandle process, String node, Path home) {
        List<String> args = process.info().arguments().map(List::of).orElse(List.of());
        int flag = args.indexOf("--node");
        return args.contains("agent") && flag >= 0 && flag + 1 < args.size() && args.get(flag + 1).equals(node)
                && args.contains(home.toAbsolutePath().toString());
    }
}
