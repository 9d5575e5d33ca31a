package io.hostpub.admin.web;

import io.hostpub.coordinator.api.job.JobAvailability;
import io.hostpub.coordinator.api.report.ClusterReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each job's availability for the cluster page: the figures, and a small chart of its last 60 minutes (one bar per
 * minute; green: the share of the minute it was up, red: down, grey: not counted). Values only; the JSP escapes every
 * text.
 */
record AvailabilityChart(String job, String lastHour, String sinceStart, int outages, int restarts, String mtbf,
        String mttr, List<Bar> bars) {

    static final int BAR_WIDTH = 3;
    static final int HEIGHT = 20;

    /** One minute: the height of its up (green, from the bottom) and down (red, above it) parts. */
    record Bar(int x, int upHeight, int downHeight) {
    }

    /** Every job of every local coordinator in the report, by job name. */
    static Map<String, AvailabilityChart> of(ClusterReport report) {
        Map<String, AvailabilityChart> charts = new TreeMap<>();
        for (ClusterReport.MonitorReport monitor : report.monitors()) {
            monitor.jobs().forEach((job, availability) -> charts.put(job, of(job, availability)));
        }
        return charts;
    }

    static AvailabilityChart of(String job, JobAvailability availability) {
        List<Bar> bars = new ArrayList<>();
        List<long[]> minutes = availability.lastHour();
        for (int i = 0; i < minutes.size(); i++) {
            long up = minutes.get(i)[0];
            long down = minutes.get(i)[1];
            long total = up + down;
            int upHeight = total == 0 ? 0 : (int) Math.round((double) HEIGHT * up / total);
            int downHeight = total == 0 ? 0 : HEIGHT - upHeight;
            bars.add(new Bar(i * BAR_WIDTH, upHeight, downHeight));
        }
        return new AvailabilityChart(job, percent(availability.lastHourAvailabilityPercent()),
                percent(availability.availabilityPercent()), availability.outages(), availability.restarts(),
                duration(availability.mtbfMillis()), duration(availability.mttrMillis()), bars);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f %%", value);
    }

    /** 850 ms, 12.3 s, 4 min 5 s, 2 h 3 min; "-" before the first outage. */
    static String duration(Long millis) {
        if (millis == null) {
            return "-";
        }
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
