package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.Role;
import io.hostpub.runtime.pool.PoolSpec;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MBeans under {@code io.hostpub}: each runtime, the supervisor's license tally, each pool; read-only, and gone
 * when the runtimes close.
 */
class RuntimeMBeansTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path home;

    private Set<ObjectName> ours(String name) throws Exception {
        return server.queryNames(new ObjectName("io.hostpub:name=" + name + ",*"), null);
    }

    @Test
    void runtimesPoolsAndTheSupervisorsTallyArePublishedReadOnlyAndRemovedOnClose() throws Exception {
        try (RuntimeFixture machine = new RuntimeFixture(home)) {
            HostpubRuntime first = machine.start("mbean-a");
            HostpubRuntime second = machine.start("mbean-b");
            HostpubRuntime supervisor = first.role() == Role.SUPERVISOR ? first : second;
            HostpubRuntime subordinate = supervisor == first ? second : first;
            subordinate.pools().create(PoolSpec.h2("orders", "mbeans-test", 1, 2));

            ObjectName runtime = new ObjectName("io.hostpub:type=Runtime,name=" + subordinate.name());
            assertThat(server.getAttribute(runtime, "Role")).isEqualTo("SUBORDINATE");
            assertThat(server.getAttribute(runtime, "Supervisor")).isEqualTo(supervisor.name());
            assertThat(server.getAttribute(runtime, "RegistryPort")).isEqualTo(-1);
            assertThat(server.getAttribute(new ObjectName("io.hostpub:type=Runtime,name=" + supervisor.name()),
                    "RegistryPort")).isEqualTo(supervisor.registryPort().orElseThrow());
            assertThat(server.getMBeanInfo(runtime).getAttributes()).allMatch(a -> a.isReadable() && !a.isWritable());
            assertThat(server.getMBeanInfo(runtime).getOperations()).isEmpty();

            ObjectName tally = new ObjectName("io.hostpub:type=Licenses,name=" + supervisor.name());
            await().until(() -> (int) server.getAttribute(tally, "UnitsInUse") >= 1);
            assertThat((String[]) server.getAttribute(tally, "Holdings")).anyMatch(h -> h.startsWith(
                    subordinate.name() + "="));
            assertThat(ours(subordinate.name())).extracting(n -> n.getKeyProperty("type"))
                    .containsExactlyInAnyOrder("Runtime", "Pool");
            ObjectName pool = new ObjectName("io.hostpub:type=Pool,name=" + subordinate.name() + ",pool=orders");
            assertThat(server.getAttribute(pool, "MaxSize")).isEqualTo(2);
            await().until(() -> (int) server.getAttribute(pool, "Idle") + (int) server.getAttribute(pool, "Active")
                    >= 1); // the pool opens its minimum idle connection in the background
        }
        assertThat(server.queryNames(new ObjectName("io.hostpub:name=mbean-*,*"), null)).as("left behind")
                .isEmpty();
    }
}
