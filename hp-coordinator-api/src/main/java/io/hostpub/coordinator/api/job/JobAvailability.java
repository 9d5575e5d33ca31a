package io.hostpub.coordinator.api.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The availability of one logical job ({@code app/member}, wherever it runs), as its local coordinator accounts it
 * in every active poll cycle and keeps it in its checkpoint, so it survives coordinator failovers and the job's moves
 * between nodes. The job is <em>up</em> while one of its processes runs and passes its health looks (serving, not
 * merely alive) and <em>down</em> while it is wanted and not up; time while an operator holds it stopped is not
 * counted, nor a gap of more than {@link #MAX_GAP} between two cycles (no coordinator watched it: a failover that
 * long, or a shutdown). An outage shorter than a poll cycle is seen only as a new process: it counts as an outage
 * and a repair, its down time is not seen.
 *
 * @param since      when the coordinator began counting (the job entered the plan, or the first cycle)
 * @param up         the state seen at the last look, which the time until the next look is counted as
 * @param pid        the process seen at the last look (0: none); a new one counts as a restart
 * @param outages    up -> down transitions (failures of the service); {@code repairs}: down -> up after one
 * @param minute     the epoch minute of the newest bucket of {@code minuteUpMillis}/{@code minuteDownMillis}, which
 *                   hold the up and down milliseconds of the last 60 minutes (index: epoch minute modulo 60)
 */
@JsonIgnoreProperties(value = {"availabilityPercent", "lastHourAvailabilityPercent", "mtbfMillis", "mttrMillis"},
        allowGetters = true)
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"since", "accountedAt", "up", "pid", "upMillis", "downMillis",
        "outages", "repairs", "restarts", "minute", "minuteUpMillis", "minuteDownMillis", "availabilityPercent",
        "lastHourAvailabilityPercent", "mtbfMillis", "mttrMillis"})
public record JobAvailability(Instant since, Instant accountedAt, boolean up, long pid, long upMillis,
        long downMillis, int outages, int repairs, int restarts, long minute, List<Long> minuteUpMillis,
        List<Long> minuteDownMillis) {

    /** The longest gap between two looks that is still counted. */
    public static final Duration MAX_GAP = Duration.ofSeconds(10);
    static final int MINUTES = 60;

    public JobAvailability {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(accountedAt, "accountedAt");
        minuteUpMillis = buckets(minuteUpMillis);
        minuteDownMillis = buckets(minuteDownMillis);
    }

    private static List<Long> buckets(List<Long> given) {
        if (given == null || given.size() != MINUTES) {
            return Collections.nCopies(MINUTES, 0L);
        }
        return List.copyOf(given);
    }

    /** Nothing counted yet, from {@code now}. */
    public static JobAvailability startingAt(Instant now) {
        return new JobAvailability(now, now, false, 0, 0, 0, 0, 0, 0, epochMinute(now), null, null);
    }

    /**
     * The time since the last look counted as the state seen then, and the state seen now.
     *
     * @param upNow  whether the job is up now
     * @param pidNow the job's process now (0: none)
     * @param wanted whether the job is wanted (not held stopped by an operator): time while it is not is not counted
     */
    public JobAvailability account(Instant now, boolean upNow, long pidNow, boolean wanted) {
        long elapsed = Math.max(0, Duration.between(accountedAt, now).toMillis());
        long[] ups = unbox(minuteUpMillis);
        long[] downs = unbox(minuteDownMillis);
        long nowMinute = epochMinute(now);
        for (long m = minute + 1; m <= nowMinute && m <= minute + MINUTES; m++) {
            ups[(int) (m % MINUTES)] = 0; // the buckets of minutes not looked at since an hour ago
            downs[(int) (m % MINUTES)] = 0;
        }
        long addUp = 0;
        long addDown = 0;
        if (wanted && elapsed <= MAX_GAP.toMillis()) {
            Instant from = accountedAt;
            while (from.isBefore(now)) {
                Instant minuteEnd = Instant.ofEpochSecond((epochMinute(from) + 1) * 60);
                Instant to = minuteEnd.isBefore(now) ? minuteEnd : now;
                long part = Duration.between(from, to).toMillis();
                int bucket = (int) (epochMinute(from) % MINUTES);
                if (epochMinute(from) > nowMinute - MINUTES) {
                    if (up) {
                        ups[bucket] += part;
                    } else {
                        downs[bucket] += part;
                    }
                }
                from = to;
            }
            addUp = up ? elapsed : 0;
            addDown = up ? 0 : elapsed;
        }
        boolean replaced = pidNow != 0 && pid != 0 && pidNow != pid;
        // a process replaced between two looks while up at both was an outage too short to be seen down: counted
        // (its down time is not)
        boolean missed = wanted && up && upNow && replaced;
        int newOutages = outages + (wanted && up && !upNow || missed ? 1 : 0);
        int newRepairs = repairs + (!up && upNow && outages > repairs || missed ? 1 : 0);
        int newRestarts = restarts + (replaced ? 1 : 0);
        return new JobAvailability(since, now, upNow, pidNow != 0 ? pidNow : pid, upMillis + addUp,
                downMillis + addDown, newOutages, newRepairs, newRestarts, Math.max(minute, nowMinute), box(ups),
                box(downs));
    }

    /** Up time over counted time since {@link #since}, in percent (100 before anything was counted). */
    @JsonProperty("availabilityPercent")
    public double availabilityPercent() {
        return percent(upMillis, downMillis);
    }

    /** The same over the last 60 minutes (as of the last look). */
    @JsonProperty("lastHourAvailabilityPercent")
    public double lastHourAvailabilityPercent() {
        return percent(minuteUpMillis.stream().mapToLong(Long::longValue).sum(),
                minuteDownMillis.stream().mapToLong(Long::longValue).sum());
    }

    /** Mean time between failures: up time per outage; null before the first outage. */
    @JsonProperty("mtbfMillis")
    public Long mtbfMillis() {
        return outages == 0 ? null : upMillis / outages;
    }

    /** Mean time to repair: down time per outage (start-ups included); null before the first outage. */
    @JsonProperty("mttrMillis")
    public Long mttrMillis() {
        return outages == 0 ? null : downMillis / outages;
    }

    /** The up and down milliseconds of each of the last 60 minutes, oldest first, as of the last look. */
    public List<long[]> lastHour() {
        List<long[]> minutes = new ArrayList<>(MINUTES);
        for (long m = minute - MINUTES + 1; m <= minute; m++) {
            int bucket = (int) (m % MINUTES);
            minutes.add(new long[] {minuteUpMillis.get(bucket), minuteDownMillis.get(bucket)});
        }
        return minutes;
    }

    private static double percent(long up, long down) {
        long total = up + down;
        return total == 0 ? 100.0 : 100.0 * up / total;
    }

    static long epochMinute(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 60);
    }

    private static long[] unbox(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static List<Long> box(long[] values) {
        List<Long> boxed = new ArrayList<>(values.length);
        for (long value : values) {
            boxed.add(value);
        }
        return boxed;
    }
}
