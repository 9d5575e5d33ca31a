package io.hostpub.runtime.admin;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * A full thread dump of this JVM, as {@code jstack -l} (and {@code jcmd PID Thread.print -l}) print it: the HotSpot
 * diagnostic command itself, through its MBean. On a JVM without it, every frame and lock of every thread from the
 * thread MXBean ({@link ThreadInfo#toString()} would cut each thread at 8 frames).
 */
final class ThreadDump {

    private ThreadDump() {
    }

    static String of(String instance) {
        String header = "Thread dump of " + instance + " (pid " + ProcessHandle.current().pid() + ")\n\n";
        try {
            Object printed = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                    new Object[] {new String[] {"-l"}}, new String[] {String[].class.getName()});
            return header + printed;
        } catch (JMException | RuntimeException e) {
            return header + fromThreadBean();
        }
    }

    private static String fromThreadBean() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append('"').append(info.getThreadName()).append("\" #").append(info.getThreadId())
                    .append(info.isDaemon() ? " daemon" : "").append(" prio=").append(info.getPriority())
                    .append("\n   java.lang.Thread.State: ").append(info.getThreadState());
            if (info.getLockInfo() != null) {
                dump.append(" on ").append(info.getLockInfo());
            }
            dump.append('\n');
            StackTraceElement[] frames = info.getStackTrace();
            for (int i = 0; i < frames.length; i++) {
                dump.append("\tat ").append(frames[i]).append('\n');
                for (MonitorInfo monitor : info.getLockedMonitors()) {
                    if (monitor.getLockedStackDepth() == i) {
                        dump.append("\t- locked ").append(monitor).append('\n');
                    }
                }
            }
            LockInfo[] synchronizers = info.getLockedSynchronizers();
            if (synchronizers.length > 0) {
                dump.append("\n   Locked ownable synchronizers:\n");
                for (LockInfo lock : synchronizers) {
                    dump.append("\t- ").append(lock).append('\n');
                }
            }
            dump.append('\n');
        }
        return dump.toString();
    }
}
