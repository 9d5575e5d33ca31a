package io.hostpub.runtime.jmx;

/** {@code io.hostpub:type=Pool,name=INSTANCE,pool=POOL}: one licensed pool (read-only). */
public interface PoolView {

    String getUrl();

    int getMaxSize();

    int getActive();

    int getIdle();

    int getWaiting();
}
