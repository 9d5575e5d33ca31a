package io.hostpub.runtime.jmx;

import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.admin.api.model.PoolInfo;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The runtime's MBean views over what its admin service reads (outside the view interfaces: a static method of an
 * MBean interface would be published as an operation).
 */
public final class RuntimeViews {

    private RuntimeViews() {
    }

    public static RuntimeView runtime(Supplier<InstanceSummary> summary, Supplier<Optional<String>> supervisor,
            Supplier<Optional<Integer>> registryPort) {
        return new RuntimeView() {
            @Override
            public String getName() {
                return summary.get().name();
            }

            @Override
            public String getRole() {
                return summary.get().role().name();
            }

            @Override
            public String getSupervisor() {
                return supervisor.get().orElse("");
            }

            @Override
            public long getPid() {
                return summary.get().pid();
            }

            @Override
            public long getUptimeMillis() {
                return summary.get().uptimeMs();
            }

            @Override
            public int getRegistryPort() {
                return registryPort.get().orElse(-1);
            }

            @Override
            public int getLicenseUnitsHeld() {
                return summary.get().licensesInUse();
            }
        };
    }

    public static LicenseTallyView licenses(Supplier<LicenseTally> tally) {
        return new LicenseTallyView() {
            @Override
            public int getUnitsInUse() {
                return tally.get().inUse();
            }

            @Override
            public int getLimit() {
                return tally.get().limit();
            }

            @Override
            public String[] getHoldings() {
                return tally.get().holdings().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .sorted().toArray(String[]::new);
            }
        };
    }

    public static PoolView pool(Supplier<PoolInfo> pool) {
        return new PoolView() {
            @Override
            public String getUrl() {
                return pool.get().url();
            }

            @Override
            public int getMaxSize() {
                return pool.get().maxSize();
            }

            @Override
            public int getActive() {
                return pool.get().active();
            }

            @Override
            public int getIdle() {
                return pool.get().idle();
            }

            @Override
            public int getWaiting() {
                return pool.get().waiting();
            }
        };
    }
}
