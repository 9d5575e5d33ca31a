package io.hostpub.admin.api.filter;

import java.io.ObjectInputFilter;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * JEP 290 allow-list for everything the admin RMI interface (un)marshals: the DTOs of
 * {@code io.hostpub.admin.api.model}, {@code AdminException}, the client socket factory inside stubs, the JDK
 * types they are built from, RMI's own stub machinery and the exceptions a remote call may throw
 * ({@link ScopedFilterFactory#PATTERN}). Everything else is rejected, as are deep, huge or wide graphs.
 *
 * <p>Server side: passed to {@code UnicastRemoteObject.exportObject(..., filter)} for every exported admin
 * object. Client side: the JVM-wide {@link ScopedFilterFactory} installed by {@link #installClientSide()} applies
 * it to streams created on a thread inside {@link #call}, so other code in the same JVM (a servlet container's
 * session store, say) keeps its own filtering.
 */
public final class AdminSerialFilter implements ObjectInputFilter {

    private static final System.Logger LOG = System.getLogger(AdminSerialFilter.class.getName());

    private static final ObjectInputFilter ALLOW_LIST = new ScopedFilterFactory.AllowList();

    /** The threads inside {@link #call}, as the JVM's installed factory sees them (its own set, once adopted). */
    private static volatile Set<Thread> inAdminCall = ConcurrentHashMap.newKeySet();

    @Override
    public Status checkInput(FilterInfo info) {
        return ALLOW_LIST.checkInput(info);
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
     * Installs the thread-scoped filter factory for this JVM, if it can still be installed, or adopts the one an
     * earlier copy of the runtime (or {@code -Djdk.serialFilterFactory}) installed.
     *
     * @return true if installed now or earlier; false if another factory is in place or a stream was
     *         already created (logged once, with the system property that installs it at JVM start)
     */
    public static synchronized boolean installClientSide() {
        BinaryOperator<ObjectInputFilter> current = ObjectInputFilter.Config.getSerialFilterFactory();
        if (adopt(current)) {
            return true;
        }
        try {
            BinaryOperator<ObjectInputFilter> factory = isolatedFactory(current);
            ObjectInputFilter.Config.setSerialFilterFactory(factory);
            return adopt(factory);
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "client-side admin deserialization filter not installed ("
                    + e.getMessage() + "); start the JVM with -Djdk.serialFilterFactory="
                    + ScopedFilterFactory.class.getName());
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + ScopedFilterFactory.class.getName(), e);
        }
    }

    /**
     * The class loader of the installed factory when it is not this class's own: a loader that lives as long as
     * the JVM, holding a copy of this jar's classes (the runtime is in a WAR). Admin clients resolve the socket
     * factory inside stubs there, so the JDK's connection and DGC caches, which keep it for a while after a call,
     * never keep a WAR's class loader.
     */
    public static java.util.Optional<ClassLoader> jvmLifetimeLoader() {
        BinaryOperator<ObjectInputFilter> factory = ObjectInputFilter.Config.getSerialFilterFactory();
        if (factory != null && factory.getClass().getName().equals(ScopedFilterFactory.class.getName())) {
            ClassLoader loader = factory.getClass().getClassLoader();
            if (loader != ScopedFilterFactory.class.getClassLoader() && loader != ClassLoader.getSystemClassLoader()
                    && loader != null) {
                return java.util.Optional.of(loader);
            }
        }
        return java.util.Optional.empty();
    }

    /** Takes the marks of an installed {@link ScopedFilterFactory}, whichever class loader loaded it. */
    private static boolean adopt(BinaryOperator<ObjectInputFilter> factory) {
        if (factory != null && factory.getClass().getName().equals(ScopedFilterFactory.class.getName())
                && factory instanceof Supplier<?> supplier) {
            @SuppressWarnings("unchecked")
            Set<Thread> marks = (Set<Thread>) supplier.get();
            inAdminCall = marks;
            return true;
        }
        return false;
    }

    /**
     * A factory whose class lives as long as the JVM: loaded from this jar by a loader of its own whose parent is
     * the platform loader (the class refers to JDK types only), never by a web application's loader.
     */
    @SuppressWarnings("unchecked")
    private static BinaryOperator<ObjectInputFilter> isolatedFactory(BinaryOperator<ObjectInputFilter> previous)
            throws ReflectiveOperationException {
        CodeSource source = ScopedFilterFactory.class.getProtectionDomain().getCodeSource();
        ClassLoader own = ScopedFilterFactory.class.getClassLoader();
        if (source == null || source.getLocation() == null || own == ClassLoader.getSystemClassLoader()) {
            return new ScopedFilterFactory(previous); // already a JVM-lifetime loader
        }
        URLClassLoader isolated = new URLClassLoader("hostpub-serial-filter", new URL[] {source.getLocation()},
                ClassLoader.getPlatformClassLoader());
        Class<?> type = isolated.loadClass(ScopedFilterFactory.class.getName());
        Object factory = type.getConstructor(BinaryOperator.class).newInstance(previous);
        // the constructor loaded the allow-list too, while the jar is certainly there (a WAR's unpacked copy goes
        // with undeploy); one call resolves what apply() uses
        ((BinaryOperator<ObjectInputFilter>) factory).apply(null, null);
        forgetCreatorsContext(isolated);
        return (BinaryOperator<ObjectInputFilter>) factory;
    }

    /**
     * A {@code URLClassLoader} remembers the access control context of its creator: the protection domains of the
     * frames that made it, among them this WAR's, whose class loader it would keep for the JVM's lifetime. With no
     * security manager the context is never consulted, so it is dropped (best effort: on failure one undeployed
     * copy of the WAR stays in memory, logged).
     */
    @SuppressWarnings({"removal", "deprecation"})
    private static void clearField(sun.misc.Unsafe unsafe, Object target, String name) {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                java.lang.reflect.Field field = type.getDeclaredField(name);
                unsafe.putObjectVolatile(target, unsafe.objectFieldOffset(field), null);
                return;
            } catch (NoSuchFieldException notHere) {
                // look in the superclass
            }
        }
    }

    @SuppressWarnings({"removal", "deprecation"})
    private static void forgetCreatorsContext(URLClassLoader loader) {
        if (System.getSecurityManager() != null) {
            return;
        }
        try {
            java.lang.reflect.Field acc = URLClassLoader.class.getDeclaredField("acc");
            java.lang.reflect.Field theUnsafe = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
            unsafe.putObjectVolatile(loader, unsafe.objectFieldOffset(acc), null);
            // and its class path's copy of the same context
            Object classPath = unsafe.getObjectVolatile(loader,
                    unsafe.objectFieldOffset(URLClassLoader.class.getDeclaredField("ucp")));
            clearField(unsafe, classPath, "acc");
            // and the jar loaders it opened, which copy it again
            Object jarLoaders = unsafe.getObjectVolatile(classPath,
                    unsafe.objectFieldOffset(classPath.getClass().getDeclaredField("loaders")));
            for (Object jarLoader : ((java.util.List<?>) jarLoaders).toArray()) {
                clearField(unsafe, jarLoader, "acc");
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.INFO, "the serial filter's class loader keeps its creator's context (" + e
                    + "); one undeployed copy of a WAR holding the runtime stays in memory");
        }
    }
}
