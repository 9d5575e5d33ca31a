package io.hostpub.admin.web.xml;

import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.poll.ChildStatus;
import io.hostpub.coordinator.api.report.ClusterReport;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.List;

/** The XML form of {@code GET /hpadmin/api/cluster}: the same fields as the JSON document. */
@XmlRootElement(name = "cluster")
@XmlAccessorType(XmlAccessType.FIELD)
public final class ClusterXml {
    @XmlAttribute public String store;
    @XmlAttribute public long pollIntervalMs;
    @XmlAttribute public String at;
    @XmlElementWrapper(name = "monitors") @XmlElement(name = "monitor") public List<Monitor> monitors;
    @XmlElementWrapper(name = "agents") @XmlElement(name = "agent") public List<Agent> agents;

    static ClusterXml of(ClusterReport report) {
        ClusterXml xml = new ClusterXml();
        xml.store = report.store();
        xml.pollIntervalMs = report.pollIntervalMs();
        xml.at = String.valueOf(report.at());
        xml.monitors = report.monitors().stream().map(Monitor::of).toList();
        xml.agents = report.agents().stream().map(Agent::of).toList();
        return xml;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Monitor {
        @XmlAttribute public String position;
        @XmlAttribute public String parent;
        @XmlAttribute public String state;
        @XmlAttribute public long pid;
        @XmlAttribute public String node;
        @XmlAttribute public String endpoint;
        @XmlAttribute public long epoch;
        /** What its store refuses, absent while the store works. */
        @XmlAttribute public String storeProblem;
        @XmlElement(name = "child") public List<Child> children;

        static Monitor of(ClusterReport.MonitorReport report) {
            Monitor xml = new Monitor();
            xml.position = report.position();
            xml.parent = report.parent();
            xml.state = report.state();
            xml.pid = report.pid();
            xml.node = report.node();
            xml.endpoint = report.endpoint();
            xml.epoch = report.epoch();
            xml.storeProblem = report.storeProblem();
            xml.children = report.children().stream().map(Child::of).toList();
            return xml;
        }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Child {
        @XmlAttribute public String name;
        @XmlAttribute public String level;
        @XmlAttribute public String state;
        @XmlAttribute public long pid;
        @XmlAttribute public long upMillis;
        @XmlAttribute public long downMillis;
        @XmlAttribute public int failures;
        @XmlAttribute public int restarts;

        static Child of(ChildStatus status) {
            Child xml = new Child();
            xml.name = status.name();
            xml.level = status.level();
            xml.state = status.state().name();
            xml.pid = status.pid();
            xml.upMillis = status.statistics().upMillis();
            xml.downMillis = status.statistics().downMillis();
            xml.failures = status.statistics().failures();
            xml.restarts = status.statistics().restarts();
            return xml;
        }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Agent {
        @XmlAttribute public String node;
        @XmlAttribute public String address;
        @XmlAttribute public String parent;
        @XmlAttribute public String state;
        @XmlAttribute public long pid;
        /** Job records the agent keeps because its store does not take them. */
        @XmlAttribute public int unrecordedJobs;
        @XmlElement(name = "job") public List<Job> jobs;

        static Agent of(ClusterReport.AgentReport report) {
            Agent xml = new Agent();
            xml.node = report.node();
            xml.address = report.address();
            xml.parent = report.parent();
            xml.state = report.state();
            xml.pid = report.pid();
            xml.unrecordedJobs = report.unrecordedJobs();
            xml.jobs = report.jobs().stream().map(Job::of).toList();
            return xml;
        }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Job {
        @XmlAttribute public String name;
        @XmlAttribute public String state;
        @XmlAttribute public long pid;
        @XmlAttribute public boolean failedOut;
        @XmlAttribute public long upMillis;
        @XmlAttribute public long downMillis;
        @XmlAttribute public int failures;
        @XmlAttribute public int restarts;
        @XmlAttribute public double availabilityPercent;

        static Job of(JobStatus status) {
            Job xml = new Job();
            xml.name = status.name();
            xml.state = status.state().name();
            xml.pid = status.pid();
            xml.failedOut = status.failedOut();
            xml.upMillis = status.statistics().upMillis();
            xml.downMillis = status.statistics().downMillis();
            xml.failures = status.statistics().failures();
            xml.restarts = status.statistics().restarts();
            xml.availabilityPercent = status.statistics().availabilityPercent();
            return xml;
        }
    }
}
