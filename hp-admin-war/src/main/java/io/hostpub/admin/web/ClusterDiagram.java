package io.hostpub.admin.web;

import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.report.ClusterReport.AgentReport;
import io.hostpub.coordinator.api.report.ClusterReport.MonitorReport;
import io.hostpub.coordinator.api.report.ClusterReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays the hierarchy out as a top-down tree for the cluster page's SVG: coordinators, then agents, then jobs; each
 * leaf gets a column, each parent sits centred over its children. States are coloured: running green, starting or
 * passive amber, dead red, idle grey. Values only; the JSP escapes every text.
 */
record ClusterDiagram(int width, int height, List<Box> boxes, List<Edge> edges) {

    static final int BOX_WIDTH = 224;
    static final int BOX_HEIGHT = 46;
    static final int COLUMN = 238;
    static final int ROW = 86;

    record Box(int x, int y, String title, String subtitle, String fill, String stroke) {
    }

    record Edge(int x1, int y1, int x2, int y2) {
    }

    static ClusterDiagram of(ClusterReport report) {
        Layout layout = new Layout(report);
        for (MonitorReport top : report.monitors()) {
            if (top.parent() == null) {
                layout.monitor(top, 0);
            }
        }
        for (AgentReport agent : report.agents()) {
            if (agent.parent() == null) {
                layout.agent(agent, 0);
            }
        }
        int columns = Math.max(1, layout.column);
        return new ClusterDiagram(columns * COLUMN + 20, (layout.maxDepth + 1) * ROW + 20, layout.boxes,
                layout.edges);
    }

    /** Fill and stroke for a state. */
    static String[] colours(String state) {
        switch (state) {
            case "ACTIVE":
            case "RUNNING":
            case "UP":
                return new String[] {"#d8f0d8", "#3c8d3c"};
            case "PASSIVE":
            case "STARTING":
            case "WANTRUN":
            case "WANTSTOP":
            case "MISSING":
                return new String[] {"#fff3c4", "#b08900"};
            case "DOWN":
            case "FAILED-OUT":
            case "SUPERSEDED":
                return new String[] {"#f8d0cc", "#b3261e"};
            default:
                return new String[] {"#e8eaed", "#6b7785"};
        }
    }

    private static final class Layout {
        final ClusterReport report;
        final List<Box> boxes = new ArrayList<>();
        final List<Edge> edges = new ArrayList<>();
        int column;
        int maxDepth;

        Layout(ClusterReport report) {
            this.report = report;
        }

        /** Places a monitor's subtree; returns the centre x of its box. */
        int monitor(MonitorReport monitor, int depth) {
            List<Integer> children = new ArrayList<>();
            for (MonitorReport child : report.monitors()) {
                if (monitor.position().equals(child.parent())) {
                    children.add(monitor(child, depth + 1));
                }
            }
            for (AgentReport agent : report.agents()) {
                if (monitor.position().equals(agent.parent())) {
                    children.add(agent(agent, depth + 1));
                }
            }
            String subtitle = monitor.pid() == 0 ? "no coordinator answers"
                    : monitor.state() + " · pid " + monitor.pid() + " on " + monitor.node() + " · epoch "
                            + monitor.epoch();
            return place(monitor.position(), subtitle, monitor.state(), depth, children);
        }

        int agent(AgentReport agent, int depth) {
            List<Integer> children = new ArrayList<>();
            for (JobStatus job : agent.jobs()) {
                String state = job.failedOut() ? "FAILED-OUT" : job.state().name();
                String subtitle = state + (job.pid() == 0 ? "" : " · pid " + job.pid()) + " · "
                        + String.format(java.util.Locale.ROOT, "%.1f%%", job.statistics().availabilityPercent());
                children.add(place(job.name(), subtitle, state, depth + 1, List.of()));
            }
            String subtitle = agent.state() + (agent.pid() == 0 ? "" : " · pid " + agent.pid()) + " · "
                    + agent.address();
            return place("agent " + agent.node(), subtitle, agent.state(), depth, children);
        }

        private int place(String title, String subtitle, String state, int depth, List<Integer> childCentres) {
            maxDepth = Math.max(maxDepth, depth);
            int centre;
            if (childCentres.isEmpty()) {
                centre = 10 + column * COLUMN + COLUMN / 2;
                column++;
            } else {
                centre = (childCentres.get(0) + childCentres.get(childCentres.size() - 1)) / 2;
            }
            int y = 10 + depth * ROW;
            String[] colours = colours(state);
            boxes.add(new Box(centre - BOX_WIDTH / 2, y, title, subtitle, colours[0], colours[1]));
            for (int child : childCentres) {
                edges.add(new Edge(centre, y + BOX_HEIGHT, child, y + ROW));
            }
            return centre;
        }
    }
}
