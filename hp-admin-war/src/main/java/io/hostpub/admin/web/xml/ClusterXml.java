package io.hostpub.admin.web.xml;

import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.operator.ShutdownOrder;
import io.hostpub.coordinator.api.poll.ChildStatus;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.coordinator.api.rollout.Rollout;
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
    @XmlElementWrapper(name = "shutdowns") @XmlElement(name = "shutdown") public List<Shutdown> shutdowns;
    @XmlElementWrapper(name = "rollouts") @XmlElement(name = "rollout") public List<RolloutXml> rollouts;

    static ClusterXml of(ClusterReport report) {
        ClusterXml xml = new ClusterXml();
        xml.store = report.store();
        xml.pollIntervalMs = report.pollIntervalMs();
        xml.at = String.valueOf(report.at());
        xml.monitors = report.monitors().stream().map(Monitor::of).toList();
        xml.agents = report.agents().stream().map(Agent::of).toList();
        xml.shutdowns = report.shutdowns().stream().map(Shutdown::of).toList();
        xml.rollouts = report.rollouts().stream().map(RolloutXml::of).toList();
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
        /** Its warm standby linked now: node and pid, absent when none is. */
        @XmlAttribute public String standbyNode;
        @XmlAttribute public Long standbyPid;
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
            if (report.standby() != null) {
                xml.standbyNode = report.standby().node();
                xml.standbyPid = report.standby().pid();
            }
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
        /** The version of the WAR it runs, when its application deploys one. */
        @XmlAttribute public String version;
        /** Whether it passed its last health look; absent before the first. */
        @XmlAttribute public Boolean healthy;

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
            xml.version = status.spec().version();
            xml.healthy = status.healthy();
            return xml;
        }
    }

    /** A shutdown order in force. */
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Shutdown {
        @XmlAttribute public String scope;
        @XmlAttribute public String at;
        @XmlAttribute public String by;

        static Shutdown of(ShutdownOrder order) {
            Shutdown xml = new Shutdown();
            xml.scope = order.scope();
            xml.at = String.valueOf(order.at());
            xml.by = order.by();
            return xml;
        }
    }

    /** An application's latest WAR rollout. */
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class RolloutXml {
        @XmlAttribute public String application;
        @XmlAttribute public int number;
        @XmlAttribute public String from;
        @XmlAttribute public String to;
        @XmlAttribute public String phase;
        @XmlAttribute public int failures;
        @XmlAttribute public int failureBudget;
        @XmlAttribute public String progress;
        @XmlAttribute public String message;
        @XmlElement(name = "member") public List<Member> members;

        static RolloutXml of(Rollout rollout) {
            RolloutXml xml = new RolloutXml();
            xml.application = rollout.application();
            xml.number = rollout.number();
            xml.from = rollout.from().label();
            xml.to = rollout.to().label();
            xml.phase = rollout.phase().name();
            xml.failures = rollout.failures();
            xml.failureBudget = rollout.failureBudget();
            xml.progress = rollout.progress();
            xml.message = rollout.message();
            xml.members = rollout.members().entrySet().stream().map(e -> {
                Member member = new Member();
                member.name = e.getKey();
                member.version = e.getValue().version();
                member.state = e.getValue().state().name();
                return member;
            }).toList();
            return xml;
        }
    }

    /** One member's step in a rollout. */
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Member {
        @XmlAttribute public String name;
        @XmlAttribute public String version;
        @XmlAttribute public String state;
    }
}
