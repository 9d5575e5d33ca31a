package io.hostpub.admin.api.transport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Map;

/**
 * Works around a leak in the JDK's RMI transport: {@code sun.rmi.transport.tcp.TCPEndpoint} keeps every local
 * endpoint ever exported in a static map, never removed, and each entry holds the endpoint's server socket
 * factory. With the runtime in a WAR that factory's class, and so the whole web application's class loader,
 * would stay reachable after undeploy (one leaked application per redeploy). {@link #forget} removes the entries
 * of a closed factory.
 *
 * <p>The map is internal: with {@code --add-opens java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED} it is reached by
 * reflection, otherwise through {@code sun.misc.Unsafe} (JDK 17 to 25; newer JDKs warn about it). If neither
 * works the runtime logs once that redeploying the WAR leaks, and suggests the container-level installation.
 */
final class RmiEndpoints {

    private static final System.Logger LOG = System.getLogger(RmiEndpoints.class.getName());
    private static volatile boolean warned;

    private RmiEndpoints() {
    }

    /** Removes every local endpoint of the JDK's RMI transport that listens through {@code factory}. */
    static void forget(RMIServerSocketFactory factory) {
        try {
            Class<?> endpointClass = Class.forName("sun.rmi.transport.tcp.TCPEndpoint");
            Field mapField = endpointClass.getDeclaredField("localEndpoints");
            Field ssfField = endpointClass.getDeclaredField("ssf");
            FieldReader reader = reader(mapField);
            Map<?, ?> endpoints = (Map<?, ?>) reader.readStatic(mapField);
            synchronized (endpoints) {
                endpoints.keySet().removeIf(endpoint -> reader.read(endpoint, ssfField) == factory);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            if (!warned) {
                warned = true;
                LOG.log(System.Logger.Level.WARNING, "cannot release the JDK's RMI endpoint cache (" + e + "): each "
                        + "redeployment of a WAR holding the hostpub runtime will keep the old class loader; install "
                        + "the runtime at container level, or start the JVM with "
                        + "--add-opens java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED");
            }
        }
    }

    /** Reads fields of the RMI internals: by reflection if the package is open to us, else through Unsafe. */
    private interface FieldReader {
        Object readStatic(Field field);

        Object read(Object target, Field field);
    }

    private static FieldReader reader(Field probe) throws ReflectiveOperationException {
        try {
            probe.setAccessible(true);
            return new FieldReader() {
                @Override
                public Object readStatic(Field field) {
                    return get(field, null);
                }

                @Override
                public Object read(Object target, Field field) {
                    field.setAccessible(true);
                    return get(field, target);
                }

                private Object get(Field field, Object target) {
                    try {
                        return field.get(target);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        } catch (RuntimeException notOpen) {
            return unsafeReader();
        }
    }

    @SuppressWarnings({"removal", "deprecation"})
    private static FieldReader unsafeReader() throws ReflectiveOperationException {
        Field theUnsafe = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
        return new FieldReader() {
            @Override
            public Object readStatic(Field field) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    throw new IllegalArgumentException(field + " is not static");
                }
                return unsafe.getObject(unsafe.staticFieldBase(field), unsafe.staticFieldOffset(field));
            }

            @Override
            public Object read(Object target, Field field) {
                return unsafe.getObject(target, unsafe.objectFieldOffset(field));
            }
        };
    }
}
