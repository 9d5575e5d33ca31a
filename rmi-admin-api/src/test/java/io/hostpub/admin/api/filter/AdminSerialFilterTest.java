package io.hostpub.admin.api.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostpub.admin.api.model.ConnectionInfo;
import io.hostpub.admin.api.model.ConnectionState;
import io.hostpub.admin.api.model.EventInfo;
import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.admin.api.model.PoolInfo;
import io.hostpub.admin.api.model.Role;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminSerialFilterTest {

    /** A class an attacker might send: serializable, but not part of the admin API. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private static byte[] serialize(Object value) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static Object readFiltered(byte[] bytes) throws Exception {
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(new AdminSerialFilter());
            return in.readObject();
        }
    }

    @Test
    void admitsEveryDto() throws Exception {
        Instant now = Instant.parse("2026-11-23T08:00:00Z");
        var summary = new InstanceSummary("jetty-8081", Role.SUPERVISOR, 42, now, 5, "Jetty 12.1.12", List.of(8081), 3);
        var pool = new PoolInfo("orders", "jdbc:h2:mem:x", 4, 1, 1, 0,
                List.of(new ConnectionInfo(1, ConnectionState.IDLE, now, 10, now, "")));
        var tally = new LicenseTally(3, 100, Map.of("a", 1, "b", 2));
        var events = List.of(new EventInfo(now, EventKind.ROLE, "NEW -> ELECTING"));
        for (Object dto : List.of(summary, pool, tally, events)) {
            assertThat(readFiltered(serialize(dto))).isEqualTo(dto);
        }
    }

    @Test
    void rejectsClassesOutsideTheAllowList() {
        assertThatThrownBy(() -> readFiltered(serialize(new Gadget()))).isInstanceOf(InvalidClassException.class);
        assertThatThrownBy(() -> readFiltered(serialize(new HashMap<>(Map.of("k", "v")))))
                .isInstanceOf(InvalidClassException.class);
        // an allowed container holding a forbidden element is rejected too
        assertThatThrownBy(() -> readFiltered(serialize(new java.util.ArrayList<>(List.of(new Gadget())))))
                .isInstanceOf(InvalidClassException.class);
    }

    @Test
    void rejectsOverDeepGraphs() {
        Object nested = "leaf";
        for (int i = 0; i < 40; i++) {
            nested = new java.util.ArrayList<>(List.of(nested));
        }
        Object deep = nested;
        assertThatThrownBy(() -> readFiltered(serialize(deep))).isInstanceOf(InvalidClassException.class);
    }

    @Test
    void installedFactoryFiltersOnlyInsideAnAdminCall() throws Exception {
        assertThat(AdminSerialFilter.installClientSide()).isTrue();
        var factory = java.io.ObjectInputFilter.Config.getSerialFilterFactory();
        assertThat(factory.apply(null, null)).isNull();
        ObjectInputFilterHolder holder = new ObjectInputFilterHolder();
        AdminSerialFilter.call(() -> {
            holder.filter = factory.apply(null, null);
            return null;
        });
        assertThat(holder.filter).isInstanceOf(ScopedFilterFactory.AllowList.class);
        assertThat(factory.apply(null, null)).isNull();
    }

    /** A redeployed WAR loads a second copy of the class; its calls must still be filtered by the installed factory. */
    @Test
    void aSecondCopyOfTheClassSharesTheInstalledFactory() throws Exception {
        assertThat(AdminSerialFilter.installClientSide()).isTrue();
        var factory = java.io.ObjectInputFilter.Config.getSerialFilterFactory();
        java.net.URL classes = AdminSerialFilter.class.getProtectionDomain().getCodeSource().getLocation();
        try (var redeployed = new java.net.URLClassLoader(new java.net.URL[] {classes}, null)) {
            Class<?> copy = redeployed.loadClass(AdminSerialFilter.class.getName());
            assertThat(copy).isNotEqualTo(AdminSerialFilter.class);
            assertThat(copy.getMethod("installClientSide").invoke(null)).isEqualTo(Boolean.TRUE);
            ObjectInputFilterHolder holder = new ObjectInputFilterHolder();
            java.util.concurrent.Callable<Object> inside = () -> {
                holder.filter = factory.apply(null, null);
                return null;
            };
            copy.getMethod("call", java.util.concurrent.Callable.class).invoke(null, inside);
            assertThat(holder.filter).isNotNull();
            assertThat(holder.filter.getClass().getName()).isEqualTo(ScopedFilterFactory.AllowList.class.getName());
        }
        assertThat(factory.apply(null, null)).isNull();
    }

    /** Installed from a web application's loader, the factory must live in a loader of its own. */
    @Test
    void theFactoryIsLoadedOutsideTheCallersClassLoader() throws Exception {
        java.net.URL classes = AdminSerialFilter.class.getProtectionDomain().getCodeSource().getLocation();
        try (var webapp = new java.net.URLClassLoader(new java.net.URL[] {classes}, null)) {
            Class<?> copy = webapp.loadClass(AdminSerialFilter.class.getName());
            var isolated = copy.getDeclaredMethod("isolatedFactory", java.util.function.BinaryOperator.class);
            isolated.setAccessible(true);
            Object factory = isolated.invoke(null, (Object) null);
            assertThat(factory.getClass().getName()).isEqualTo(ScopedFilterFactory.class.getName());
            assertThat(factory.getClass().getClassLoader()).isNotSameAs(webapp)
                    .isNotSameAs(ScopedFilterFactory.class.getClassLoader());
            assertThat(factory.getClass().getClassLoader().getParent()).isSameAs(ClassLoader.getPlatformClassLoader());
        }
    }

    private static final class ObjectInputFilterHolder {
        java.io.ObjectInputFilter filter;
    }
}
