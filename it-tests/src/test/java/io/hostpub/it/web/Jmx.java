package io.hostpub.it.web;

import com.sun.tools.attach.VirtualMachine;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** A JMX client attached to another JVM of this machine through the Attach API, as jconsole does. */
public final class Jmx {

    /** What a JMX client does with the connection. */
    @FunctionalInterface
    public interface Use<T> {
        T with(MBeanServerConnection connection) throws Exception;
    }

    private Jmx() {
    }

    public static <T> T inJvm(long pid, Use<T> use) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                return use.with(connector.getMBeanServerConnection());
            }
        } finally {
            vm.detach();
        }
    }
}
