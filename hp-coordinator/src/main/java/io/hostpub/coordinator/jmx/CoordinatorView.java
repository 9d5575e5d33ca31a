package io.hostpub.coordinator.jmx;

/** {@code io.hostpub:type=Coordinator,position=POSITION}: the coordinator of this process (read-only). */
public interface CoordinatorView {

    String getPosition();

    String getNode();

    /** STARTING, PASSIVE, ACTIVE, CLOSED or SUICIDED. */
    String getState();

    int getDesiredJobs();
}
