package io.hostpub.it.bench;

import static org.awaitility.Awaitility.await;

import io.hostpub.testing.CloneProcess;
import io.hostpub.testing.TestMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * N members of one peer system's election ({@link LeaderPeer} JVMs), with the measurement the comparison uses
 * for every system: kill -9 the current leader, then wait until every survivor has logged a new leader.
 */
final class PeerGroup implements AutoCloseable {

    private static final Pattern LEADER = Pattern.compile("^LEADER (\\S+) @(\\d+)$");

    private final TestMachine machine;
    private final String prefix;
    private final Function<String, List<String>> command;
    private final Map<String, CloneProcess> members = new ConcurrentHashMap<>();
    private int counter;

    /**
     * @param command the full command line of a member, given its id
     */
    PeerGroup(TestMachine machine, String prefix, Function<String, List<String>> command) {
        this.machine = machine;
        this.prefix = prefix;
        this.command = command;
    }

    /** A {@link LeaderPeer} command line with the JVM flags every system's members get. */
    static List<String> java(String... flags) {
        return java(LeaderPeer.class, List.of(flags));
    }

    /** A command line running {@code main} with the flags of hostpub's clones in the harness, plus {@code flags}. */
    static List<String> java(Class<?> main, List<String> flags) {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
        line.addAll(flags);
        line.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        return line;
    }

    void start() {
        String id = prefix + (++counter);
        CloneProcess member = CloneProcess.launch(machine, id, command.apply(id), null);
        machine.track(member);
        members.put(id, member);
    }

    List<CloneProcess> live() {
        return members.values().stream().filter(CloneProcess::isAlive).toList();
    }

    /** Waits until every live member has joined and names the same live member as leader; returns its id. */
    String awaitAgreement() {
        return await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50)).until(() -> {
            String agreed = null;
            for (CloneProcess member : live()) {
                List<String> lines = member.logLines();
                if (lines.stream().noneMatch(l -> l.startsWith("READY"))) {
                    return null;
                }
                Optional<String> leader = lastLeader(lines);
                if (leader.isEmpty() || (agreed != null && !agreed.equals(leader.get()))) {
                    return null;
                }
                agreed = leader.get();
            }
            CloneProcess leader = agreed == null ? null : members.get(agreed);
            return leader != null && leader.isAlive() ? agreed : null;
        }, id -> id != null);
    }

    /**
     * Kills the leader and returns microseconds from the signal until the last survivor logged a new leader.
     * The victim is reaped afterwards and a new member started in its place, so N stays the same.
     */
    long killLeaderAndTime(String leaderId) {
        CloneProcess victim = members.get(leaderId);
        List<CloneProcess> survivors = live().stream().filter(m -> m != victim).toList();
        long killedAt = RoleEvents.nowMicros();
        victim.kill9NoWait();
        long[] learned = new long[survivors.size()];
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20)).until(() -> {
            boolean all = true;
            for (int s = 0; s < survivors.size(); s++) {
                if (learned[s] == 0) {
                    learned[s] = firstNewLeader(survivors.get(s).logLines(), leaderId, killedAt);
                }
                all &= learned[s] > 0;
            }
            return all;
        });
        victim.kill9();
        members.remove(leaderId);
        start();
        return java.util.Arrays.stream(learned).max().orElseThrow() - killedAt;
    }

    private static Optional<String> lastLeader(List<String> lines) {
        String last = null;
        for (String line : lines) {
            Matcher m = LEADER.matcher(line);
            if (m.matches()) {
                last = m.group(1);
            }
        }
        return Optional.ofNullable(last);
    }

    private static long firstNewLeader(List<String> lines, String oldLeader, long afterMicros) {
        for (String line : lines) {
            Matcher m = LEADER.matcher(line);
            if (m.matches() && !m.group(1).equals(oldLeader)) {
                long at = Long.parseLong(m.group(2));
                if (at > afterMicros) {
                    return at;
                }
            }
        }
        return 0;
    }

    @Override
    public void close() {
        members.values().forEach(CloneProcess::close);
    }
}
