package io.hostpub.admin.api.filter;

import java.io.ObjectInputFilter;
import java.lang.reflect.Proxy;
import java.rmi.Remote;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * The JVM-wide deserialization filter factory of the admin client: streams created on a thread inside
 * {@link AdminSerialFilter#call} get the admin allow-list, every other stream keeps what the factory it replaced
 * gave it. Usable as {@code -Djdk.serialFilterFactory=io.hostpub.admin.api.filter.ScopedFilterFactory}.
 *
 * <p>IMPORTANT: this class refers to JDK types only. A JVM has one filter factory for its lifetime, so
 * {@link AdminSerialFilter#installClientSide()} loads this class in a class loader of its own (parent: the
 * platform loader) rather than in a web application's: a factory from a WAR's class loader would keep that loader
 * alive after undeploy and fail every deserialization in the container once the loader is stopped. Later copies
 * of the runtime find the installed factory and share its marks through {@link Supplier}.
 */
public final class ScopedFilterFactory implements BinaryOperator<ObjectInputFilter>, Supplier<Set<Thread>> {

    /** Exactly the admin API's serial forms (DTOs, the checked exception, the factory inside stubs) and JDK types. */
    public static final String PATTERN = String.join(";",
            "maxdepth=24", "maxrefs=200000", "maxbytes=8388608", "maxarray=1048576",
            "io.hostpub.admin.api.model.*", "io.hostpub.admin.api.AdminException", "io.hostpub.admin.api.AdminServer",
            "io.hostpub.admin.api.transport.AuthenticatedClientSocketFactory",
            "java.lang.String", "java.lang.Enum", "java.lang.Number", "java.lang.Integer", "java.lang.Long",
            "java.lang.Boolean", "java.lang.Object", "java.lang.reflect.Proxy",
            "java.time.Ser", "java.time.Instant", "java.util.CollSer", "java.util.ImmutableCollections$*",
            "java.util.ArrayList", "java.util.Collections$Empty*", "java.util.Collections$Unmodifiable*",
            "java.lang.Throwable", "java.lang.Exception", "java.lang.RuntimeException", "java.lang.Error",
            "java.lang.IllegalArgumentException", "java.lang.IllegalStateException",
            "java.lang.NullPointerException", "java.lang.UnsupportedOperationException",
            "java.lang.StackTraceElement", "java.io.IOException",
            "java.rmi.*", "java.rmi.server.*", "java.rmi.dgc.Lease", "java.rmi.dgc.VMID",
            "!*");

    private final BinaryOperator<ObjectInputFilter> previous;
    private final Set<Thread> marks = ConcurrentHashMap.newKeySet();
    private final ObjectInputFilter allowList = new AllowList();

    public ScopedFilterFactory() {
        this(null);
    }

    public ScopedFilterFactory(BinaryOperator<ObjectInputFilter> previous) {
        this.previous = previous;
    }

    /** The threads inside an admin call, shared with every copy of the runtime in the JVM. */
    @Override
    public Set<Thread> get() {
        return marks;
    }

    @Override
    public ObjectInputFilter apply(ObjectInputFilter current, ObjectInputFilter requested) {
        ObjectInputFilter base = previous != null ? previous.apply(current, requested)
                : requested != null ? requested : current;
        if (!marks.contains(Thread.currentThread())) {
            return base;
        }
        return base == null || base == allowList ? allowList : ObjectInputFilter.merge(allowList, base);
    }

    /** The allow-list: {@link #PATTERN}, plus dynamic proxies whose interfaces are all remote (stubs). */
    public static final class AllowList implements ObjectInputFilter {

        private static final System.Logger LOG = System.getLogger("io.hostpub.admin.api.filter.AdminSerialFilter");
        private static final ObjectInputFilter PATTERN_FILTER = ObjectInputFilter.Config.createFilter(PATTERN);

        @Override
        public Status checkInput(FilterInfo info) {
            Class<?> type = info.serialClass();
            if (type != null && Proxy.isProxyClass(type)) {
                for (Class<?> iface : type.getInterfaces()) {
                    if (!Remote.class.isAssignableFrom(iface)) {
                        return reject(type);
                    }
                }
                return Status.ALLOWED;
            }
            Status status = PATTERN_FILTER.checkInput(info);
            return status == Status.REJECTED ? reject(type) : status;
        }

        private static Status reject(Class<?> type) {
            if (type != null) {
                LOG.log(System.Logger.Level.WARNING, "deserialization of " + type.getName()
                        + " rejected by the hostpub admin allow-list");
            }
            return Status.REJECTED;
        }
    }
}
