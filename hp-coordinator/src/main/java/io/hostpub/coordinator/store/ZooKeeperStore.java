package io.hostpub.coordinator.store;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The store for several machines: Apache ZooKeeper through Curator. Layout under the base path:
 * <pre>
 *   /hostpub/fences/&lt;scope&gt;        data "epoch holder"; the znode's data version is always epoch - 1
 *   /hostpub/data/&lt;scope&gt;/&lt;key&gt;  values
 * </pre>
 * (scope and key URL-encoded into one znode name each). A grant is a compare-and-set of the fence znode's version; a
 * write is one ZooKeeper transaction of {@code check(fence, epoch - 1)} and the data change, so a superseded writer's
 * write fails atomically. Reads {@code sync} first, so they see every write that returned before they started, on
 * whichever server this client talks to.
 */
public final class ZooKeeperStore implements CoordinatorStore {

    /**
     * How long a call waits for a lost connection to come back before it fails: Curator's retries would wait their
     * connection timeout per attempt (a minute and more in all), which stalled a coordinator's poll cycle until its
     * children took it for hung and started another (seen when one server of three was killed). Moving to another
     * server after one died takes well under this.
     */
    static final Duration RECONNECT_WAIT = Duration.ofSeconds(2);

    private final CuratorFramework client;
    private final String base;
    private final String connectString;
    private volatile ConnectionState connection = ConnectionState.CONNECTED;
    private volatile Instant connectionSince = Instant.now();

    private ZooKeeperStore(CuratorFramework client, String base, String connectString) {
        this.client = client;
        this.base = base;
        this.connectString = connectString;
        client.getConnectionStateListenable().addListener((c, state) -> {
            connection = state;
            connectionSince = Instant.now();
        });
    }

    /**
     * Connects to ZooKeeper ({@code host:port,host:port}) and waits up to {@code connectTimeout} for a session.
     *
     * @param base the root znode of this installation, e.g. {@code /hostpub}
     */
    public static ZooKeeperStore connect(String connectString, String base, Duration sessionTimeout,
            Duration connectTimeout) throws StoreException {
        if (!base.matches("(/[A-Za-z0-9_.-]+)+")) {
            throw new IllegalArgumentException("invalid ZooKeeper base path '" + base + "'");
        }
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connectString)
                .sessionTimeoutMs(Math.toIntExact(sessionTimeout.toMillis()))
                // no call may stall a coordinator's poll cycle past its children's patience (hung after 5 s): a
                // call waits at most RECONNECT_WAIT for the connection and is not retried (the next cycle retries)
                .connectionTimeoutMs(Math.toIntExact(RECONNECT_WAIT.toMillis()))
                .retryPolicy(new RetryNTimes(0, 0)).build();
        client.start();
        try {
            if (!client.blockUntilConnected(Math.toIntExact(connectTimeout.toMillis()), TimeUnit.MILLISECONDS)) {
                client.close();
                throw new StoreException("ZooKeeper at " + connectString + ": no server with a quorum reachable"
                        + " within " + connectTimeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while connecting to ZooKeeper at " + connectString, e);
        }
        return new ZooKeeperStore(client, base, connectString);
    }

    @Override
    public Fence acquire(String scope, String holder) throws StoreException {
        String path = fencePath(StoreKeys.checkScope(scope));
        return call(() -> {
            while (true) {
                Stat stat = new Stat();
                byte[] data;
                try {
                    data = client.getData().storingStatIn(stat).forPath(path);
                } catch (KeeperException.NoNodeException absent) {
                    try {
                        client.create().creatingParentsIfNeeded().forPath(path, fenceData(1, holder));
                        return new Fence(scope, 1, holder);
                    } catch (KeeperException.NodeExistsException raced) {
                        continue;
                    }
                }
                long epoch = parseEpoch(data, path) + 1;
                try {
                    client.setData().withVersion(stat.getVersion()).forPath(path, fenceData(epoch, holder));
                    return new Fence(scope, epoch, holder);
                } catch (KeeperException.BadVersionException raced) {
                    // another writer was granted meanwhile: try again above it
                }
            }
        });
    }

    @Override
    public Optional<Fence> current(String scope) throws StoreException {
        String path = fencePath(StoreKeys.checkScope(scope));
        return call(() -> {
            sync(path);
            try {
                String[] parts = new String(client.getData().forPath(path), StandardCharsets.UTF_8).split(" ", 2);
                return Optional.of(new Fence(scope, Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : ""));
            } catch (KeeperException.NoNodeException absent) {
                return Optional.empty();
            }
        });
    }

    @Override
    public void put(Fence fence, String key, byte[] value) throws StoreException {
        String path = dataPath(fence.scope(), StoreKeys.checkKey(key));
        if (value.length > JournalStore.MAX_VALUE) {
            throw new IllegalArgumentException("value for " + key + " is " + value.length + " bytes, limit "
                    + JournalStore.MAX_VALUE);
        }
        byte[] copy = value.clone();
        fenced(fence, () -> {
            boolean exists = client.checkExists().forPath(path) != null;
            if (!exists) {
                client.createContainers(dataScopePath(fence.scope()));
            }
            return exists ? client.transactionOp().setData().forPath(path, copy)
                    : client.transactionOp().create().forPath(path, copy);
        });
    }

    @Override
    public void delete(Fence fence, String key) throws StoreException {
        String path = dataPath(fence.scope(), StoreKeys.checkKey(key));
        fenced(fence, () -> client.checkExists().forPath(path) == null ? null
                : client.transactionOp().delete().forPath(path));
    }

    @Override
    public Optional<byte[]> get(String scope, String key) throws StoreException {
        String path = dataPath(StoreKeys.checkScope(scope), StoreKeys.checkKey(key));
        return call(() -> {
            sync(path);
            try {
                return Optional.of(client.getData().forPath(path));
            } catch (KeeperException.NoNodeException absent) {
                return Optional.empty();
            }
        });
    }

    @Override
    public Map<String, byte[]> list(String scope) throws StoreException {
        String path = dataScopePath(StoreKeys.checkScope(scope));
        return call(() -> {
            sync(path);
            Map<String, byte[]> values = new TreeMap<>();
            List<String> children;
            try {
                children = client.getChildren().forPath(path);
            } catch (KeeperException.NoNodeException absent) {
                return values;
            }
            for (String child : children) {
                try {
                    values.put(decode(child), client.getData().forPath(path + "/" + child));
                } catch (KeeperException.NoNodeException deletedMeanwhile) {
                    // gone since the listing
                }
            }
            return values;
        });
    }

    @Override
    public String describe() {
        return "zookeeper " + connectString + base;
    }

    @Override
    public void close() {
        client.close();
    }

    private interface ZkCall<T> {
        T call() throws Exception;
    }

    private <T> T call(ZkCall<T> action) throws StoreException {
        try {
            awaitConnection();
            return action.call();
        } catch (StoreException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted talking to ZooKeeper at " + connectString, e);
        } catch (Exception e) {
            throw new StoreException("ZooKeeper at " + connectString + ": " + e, e);
        }
    }

    /** Waits what is left of {@link #RECONNECT_WAIT} since the connection was lost, then fails naming the state. */
    private void awaitConnection() throws StoreException, InterruptedException {
        if (client.getZookeeperClient().isConnected()) {
            return;
        }
        long left = RECONNECT_WAIT.minus(Duration.between(connectionSince, Instant.now())).toMillis();
        if (left <= 0 || !client.blockUntilConnected(Math.toIntExact(left), TimeUnit.MILLISECONDS)) {
            throw new StoreException("ZooKeeper at " + connectString + ": no server with a quorum reachable ("
                    + connection + " since " + connectionSince + ")");
        }
    }

    /** Runs the data operation in one transaction with the check that the fence is still the scope's latest. */
    private void fenced(Fence fence, ZkCall<CuratorOp> operation) throws StoreException {
        String fencePath = fencePath(fence.scope());
        call(() -> {
            CuratorOp op = operation.call();
            CuratorOp check = client.transactionOp().check().withVersion(Math.toIntExact(fence.epoch() - 1))
                    .forPath(fencePath);
            try {
                if (op == null) {
                    client.transaction().forOperations(check);
                } else {
                    client.transaction().forOperations(check, op);
                }
                return null;
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException stale) {
                long current = current(fence.scope()).map(Fence::epoch).orElse(0L);
                if (current != fence.epoch()) {
                    throw new StaleEpochException(fence, current);
                }
                throw stale;
            }
        });
    }

    private void sync(String path) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        client.sync().inBackground((c, event) -> done.countDown()).forPath(path);
        if (!done.await(client.getZookeeperClient().getConnectionTimeoutMs(), TimeUnit.MILLISECONDS)) {
            throw new StoreException("ZooKeeper sync of " + path + " timed out");
        }
    }

    private static byte[] fenceData(long epoch, String holder) {
        return (epoch + " " + holder).getBytes(StandardCharsets.UTF_8);
    }

    private static long parseEpoch(byte[] data, String path) throws StoreException {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            return Long.parseLong(text.split(" ", 2)[0]);
        } catch (NumberFormatException e) {
            throw new StoreException("fence znode " + path + " holds '" + text + "', not an epoch");
        }
    }

    private String fencePath(String scope) {
        return base + "/fences/" + encode(scope);
    }

    private String dataScopePath(String scope) {
        return base + "/data/" + encode(scope);
    }

    private String dataPath(String scope, String key) {
        return dataScopePath(scope) + "/" + encode(key);
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static String decode(String name) {
        return URLDecoder.decode(name, StandardCharsets.UTF_8);
    }
}
