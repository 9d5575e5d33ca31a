package io.hostpub.admin.api.filter;

import java.io.ObjectInputFilter;
import java.lang.reflect.Proxy;
import java.rmi.Remote;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * JEP 290 allow-list for everything the admin RMI interface (un)marshals: the DTOs of
 * {@code io.hostpub.admin.api.model}, {@code AdminException}, the client socket factory inside stubs, the JDK types they are built from, RMI's own stub machinery and the
 * exceptions a remote call may throw. Everything else is rejected, as are deep, huge or wide graphs.
 *
 * <p>Server side: passed to {@code UnicastRemoteObject.exportObject(..., filter)} for every exported
 * admin object. Client side: the JVM-wide filter factory installed by {@link #installClientSide()}
 * applies this filter to streams created on a thread inside {@link #call}, so other code in the same
 * JVM (a servlet container's session store, say) keeps its own filtering.
 */
public final class AdminSerialFilter implements ObjectInputFilter {

    private static final System.Logger LOG = System.getLogger(AdminSerialFilter.class.getName());

    static final String PATTERN = String.join(";",
            "maxdepth=24", "maxrefs=200000", "maxbytes=8388608", "maxarray=1048576",
            // exactly the admin API's serial forms: the DTOs, the checked exception, the factory inside stubs
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

    private static final ObjectInputFilter ALLOW_LIST = ObjectInputFilter.Config.createFilter(PATTERN);

    /**
     * The threads inside {@link #call}, as the JVM's installed factory sees them. A JVM has one filter factory,
     * installed by the first copy of this class; in a servlet container each deployment of a WAR loads its own
     * copy, so a later copy adopts the installed factory's set (reached through JDK interfaces only).
     */
    private static volatile Set<Thread> inAdminCall = ConcurrentHashMap.newKeySet();

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
        Status status = ALLOW_LIST.checkInput(info);
        return status == Status.REJECTED ? reject(type) : status;
    }

    private static Status reject(Class<?> type) {
        if (type != null) {
            LOG.log(System.Logger.Level.WARNING, "deserialization of " + type.getName()
                    + " rejected by the hostpub admin allow-list");
        }
        return Status.REJECTED;
    }

    /**
     * Runs an admin client call with this filter applied to every object stream the call creates on this
     * thread.
     */
    public static <T> T call(Callable<T> action) throws Exception {
        Set<Thread> marks = inAdminCall;
        Thread self = Thread.currentThread();
        boolean outermost = marks.add(self);
        try {
            return action.call();
        } finally {
            if (outermost) {
                marks.remove(self);
            }
        }
    }

    /**
     * Installs the thread-scoped filter factory for this JVM, if it can still be installed.
     *
     * @return true if installed now or earlier; false if another factory is in place or a stream was
     *         already created (logged once, with the system property that installs it at JVM start)
     */
    public static synchronized boolean installClientSide() {
        BinaryOperator<ObjectInputFilter> current = ObjectInputFilter.Config.getSerialFilterFactory();
        if (current instanceof ScopedFilterFactory installed) {
            inAdminCall = installed.marks;
            return true;
        }
        if (current.getClass().getName().equals(ScopedFilterFactory.class.getName()) && current instanceof Supplier<?>) {
            // installed by another copy of this class (an earlier deployment of the same WAR): share its marks
            @SuppressWarnings("unchecked")
            Set<Thread> foreignMarks = (Set<Thread>) ((Supplier<?>) current).get();
            inAdminCall = foreignMarks;
            return true;
        }
        try {
            ScopedFilterFactory factory = new ScopedFilterFactory(current);
            ObjectInputFilter.Config.setSerialFilterFactory(factory);
            inAdminCall = factory.marks;
            return true;
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "client-side admin deserialization filter not installed ("
                    + e.getMessage() + "); start the JVM with -Djdk.serialFilterFactory="
                    + ScopedFilterFactory.class.getName());
            return false;
        }
    }

    static boolean inAdminCall() {
        return inAdminCall.contains(Thread.currentThread());
    }

    /**
     * Filter factory that adds the admin allow-list to streams created inside {@link #call}; elsewhere it
     * defers to the factory it replaced. Also usable as {@code -Djdk.serialFilterFactory}.
     */
    public static final class ScopedFilterFactory implements BinaryOperator<ObjectInputFilter>, Supplier<Set<Thread>> {
        private static final AdminSerialFilter FILTER = new AdminSerialFilter();
        private final BinaryOperator<ObjectInputFilter> previous;
        private final Set<Thread> marks = ConcurrentHashMap.newKeySet();

        public ScopedFilterFactory() {
            this(null);
        }

        ScopedFilterFactory(BinaryOperator<ObjectInputFilter> previous) {
            this.previous = previous;
        }

        /** The threads inside an admin call, shared with every copy of this class in the JVM. */
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
            return base == null || base == FILTER ? FILTER : ObjectInputFilter.merge(FILTER, base);
        }
    }
}
