package io.hostpub.lifecycle;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * The MBeans one component publishes on the platform MBean server under {@value #DOMAIN}: each is a read-only view
 * (a Java interface of getters, wrapped in a {@link StandardMBean}), and {@link #close()} unregisters every one still
 * registered, so a closed or redeployed component leaves none behind. A name already taken (another component of the
 * same name in this JVM: a redeployed WAR starts its runtime before the old one has closed) is replaced, the newest
 * component being the one to look at; and a bean is unregistered only while it is still this object's, which its
 * description says ({@link #owner}), so the old component's close leaves the new one's bean alone.
 */
public final class ManagedBeans implements AutoCloseable {

    public static final String DOMAIN = "io.hostpub";
    private static final System.Logger LOG = System.getLogger(ManagedBeans.class.getName());

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();
    /** The description of every bean this object registers: whose it is. */
    private final String owner = "hostpub " + java.util.UUID.randomUUID();

    /**
     * Publishes {@code view} as {@code io.hostpub:type=TYPE,KEY=VALUE,...}.
     *
     * @param keys the name's further key properties, in pairs (values are quoted when they need it)
     * @return the name, to unregister it before {@link #close()}
     */
    public synchronized <T> ObjectName register(Class<T> type, T view, String typeName, String... keys) {
        try {
            StringBuilder name = new StringBuilder(DOMAIN).append(":type=").append(typeName);
            for (int i = 0; i + 1 < keys.length; i += 2) {
                name.append(',').append(keys[i]).append('=').append(quoted(keys[i + 1]));
            }
            ObjectName objectName = new ObjectName(name.toString());
            StandardMBean bean = new StandardMBean(view, type) {
                @Override
                protected String getDescription(javax.management.MBeanInfo info) {
                    return owner;
                }
            };
            try {
                server.registerMBean(bean, objectName);
            } catch (InstanceAlreadyExistsException taken) {
                server.unregisterMBean(objectName);
                server.registerMBean(bean, objectName);
            }
            registered.add(objectName);
            return objectName;
        } catch (JMException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot publish MBean " + typeName + ": " + e);
            return null;
        }
    }

    /** Unregisters one bean this object published. */
    public synchronized void unregister(ObjectName name) {
        if (name != null && registered.remove(name)) {
            try {
                if (!owner.equals(server.getMBeanInfo(name).getDescription())) {
                    return; // replaced by a newer component of the same name: its bean now
                }
                server.unregisterMBean(name);
            } catch (InstanceNotFoundException gone) {
                // replaced and unregistered by a newer component of the same name
            } catch (JMException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot unregister MBean " + name + ": " + e);
            }
        }
    }

    @Override
    public synchronized void close() {
        for (ObjectName name : List.copyOf(registered)) {
            unregister(name);
        }
    }

    private static String quoted(String value) {
        return value.matches("[A-Za-z0-9_.\\-/]+") ? value : ObjectName.quote(value);
    }
}
