package io.hostpub.runtime.container;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The container's HTTP ports, read from the connector MBeans both containers publish on the platform MBean
 * server: Tomcat's {@code *:type=Connector,port=N} (always, standalone and embedded) and Jetty's
 * {@code org.eclipse.jetty.server:type=serverconnector,*} (when Jetty's {@code jmx} module is enabled, or an
 * embedded server has an {@code MBeanContainer}). The connectors need not be listening yet: both containers
 * deploy applications before they open their connectors.
 */
public final class HttpPorts {

    private static final System.Logger LOG = System.getLogger(HttpPorts.class.getName());

    private HttpPorts() {
    }

    public static List<Integer> discover() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        TreeSet<Integer> ports = new TreeSet<>();
        try {
            for (ObjectName name : server.queryNames(new ObjectName("*:type=Connector,*"), null)) {
                if (!isAjp(server, name)) {
                    port(name.getKeyProperty("port"), ports);
                }
            }
            for (ObjectName name : server.queryNames(new ObjectName("org.eclipse.jetty.server:type=serverconnector,*"),
                    null)) {
                Object port = attribute(server, name, "port");
                if (port instanceof Integer configured && configured > 0) {
                    ports.add(configured);
                } else if (attribute(server, name, "localPort") instanceof Integer local && local > 0) {
                    ports.add(local);
                }
            }
        } catch (JMException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the container's connector MBeans: " + e);
        }
        return List.copyOf(ports);
    }

    private static boolean isAjp(MBeanServer server, ObjectName name) {
        Object protocol = attribute(server, name, "protocol");
        return protocol != null && protocol.toString().toLowerCase(Locale.ROOT).contains("ajp");
    }

    private static void port(String text, TreeSet<Integer> ports) {
        try {
            int port = Integer.parseInt(text);
            if (port > 0 && port < 65536) {
                ports.add(port);
            }
        } catch (NumberFormatException notAPort) {
            // a connector without a fixed port
        }
    }

    private static Object attribute(MBeanServer server, ObjectName name, String attribute) {
        try {
            return server.getAttribute(name, attribute);
        } catch (JMException | RuntimeException e) {
            return null;
        }
    }
}
