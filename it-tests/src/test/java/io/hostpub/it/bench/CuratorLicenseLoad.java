package io.hostpub.it.bench;

import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.framework.recipes.shared.VersionedValue;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * The license load of {@link LicenseLoad} on Apache Curator's {@link SharedCount}: a machine-wide counter in one
 * znode, taken and given back by compare-and-set on its version, the way a ZooKeeper user would count licenses.
 * Arguments: {@code <connect> <path> <limit>}.
 */
public final class CuratorLicenseLoad {

    private CuratorLicenseLoad() {
    }

    public static void main(String[] args) throws Exception {
        int limit = Integer.parseInt(args[2]);
        try (CuratorFramework client = CuratorFrameworkFactory.newClient(args[0], new ExponentialBackoffRetry(100, 10))) {
            client.start();
            if (!client.blockUntilConnected(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no ZooKeeper at " + args[0]);
            }
            try (SharedCount count = new SharedCount(client, args[1], 0)) {
                count.start();
                LicenseLoad.serve("curator-" + ProcessHandle.current().pid(), () -> "PEER", () -> true,
                        new LicenseLoad.Units() {
                            @Override
                            public void acquire() throws Exception {
                                change(count, +1, limit);
                            }

                            @Override
                            public void release() throws Exception {
                                change(count, -1, limit);
                            }
                        });
                // a fresh read, not the cached value: what the counter holds once everyone has released
                System.out.println("FINAL " + java.nio.ByteBuffer.wrap(client.getData().forPath(args[1])).getInt());
            }
        }
    }

    /** Compare-and-set until it lands; a failed set refreshes the cached value. */
    private static void change(SharedCount count, int delta, int limit) throws Exception {
        while (true) {
            VersionedValue<Integer> current = count.getVersionedValue();
            int next = current.getValue() + delta;
            if (next > limit) {
                Thread.onSpinWait();
                continue;
            }
            if (count.trySetCount(current, next)) {
                return;
            }
        }
    }
}
