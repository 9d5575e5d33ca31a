package io.hostpub.runtime.jmx;

/** {@code io.hostpub:type=Runtime,name=INSTANCE}: one instance as JMX shows it (read-only). */
public interface RuntimeView {

    String getName();

    /** NEW, ELECTING, SUPERVISOR, SUBORDINATE or CLOSED. */
    String getRole();

    /** The current supervisor's name; empty while there is none. */
    String getSupervisor();

    long getPid();

    long getUptimeMillis();

    /** The RMI registry port on the supervisor; -1 on the others. */
    int getRegistryPort();

    int getLicenseUnitsHeld();
}
