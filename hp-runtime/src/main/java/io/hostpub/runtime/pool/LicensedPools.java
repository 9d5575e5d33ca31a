package io.hostpub.runtime.pool;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.PoolInfo;
import io.hostpub.lifecycle.ManagedBeans;
import io.hostpub.runtime.events.EventLog;
import io.hostpub.runtime.jmx.PoolView;
import io.hostpub.runtime.jmx.RuntimeViews;
import io.hostpub.runtime.license.Licenses;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The licensed pools of one instance, by name. */
public final class LicensedPools implements AutoCloseable {

    private final String instance;
    private final Licenses licenses;
    private final EventLog events;
    private final Clock clock;
    private final ManagedBeans beans;
    private final Map<String, LicensedPool> pools = new ConcurrentSkipListMap<>();

    /** @param beans where each pool is published ({@code io.hostpub:type=Pool}), until the runtime closes them */
    public LicensedPools(String instance, Licenses licenses, EventLog events, Clock clock, ManagedBeans beans) {
        this.instance = instance;
        this.beans = beans;
        this.licenses = licenses;
        this.events = events;
        this.clock = clock;
    }

    public LicensedPool create(PoolSpec spec) {
        LicensedPool pool = pools.compute(spec.name(), (name, existing) -> {
            if (existing != null) {
                throw new IllegalArgumentException("pool " + name + " already exists");
            }
            return new LicensedPool(spec, licenses, instance, clock);
        });
        beans.register(PoolView.class, RuntimeViews.pool(pool::describe), "Pool", "name", instance, "pool", spec.name());
        events.record(EventKind.POOL, "pool " + spec.name() + " created (" + spec.jdbcUrl() + ", min idle "
                + spec.minIdle() + ", max " + spec.maxSize() + ")");
        return pool;
    }

    public Optional<LicensedPool> pool(String name) {
        return Optional.ofNullable(pools.get(name));
    }

    public List<PoolInfo> describe() {
        return pools.values().stream().map(LicensedPool::describe).toList();
    }

    @Override
    public void close() {
        pools.values().forEach(LicensedPool::close);
        pools.clear();
    }
}
