package io.hostpub.coordinator.jmx;

/** {@code io.hostpub:type=Agent,node=NODE}: the host agent of this process (read-only). */
public interface AgentView {

    String getNode();

    /** RUNNING, SHUTTING_DOWN, ... */
    String getState();

    int getJobs();

    int getRunningJobs();

    /** Each job as {@code name STATE pid}. */
    String[] getJobStates();
}
