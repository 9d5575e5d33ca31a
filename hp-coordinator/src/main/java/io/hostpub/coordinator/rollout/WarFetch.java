package io.hostpub.coordinator.rollout;

import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.rollout.Rollout;
import io.hostpub.coordinator.api.rollout.Rollout.Version;
import io.hostpub.coordinator.api.rollout.WarPiece;
import io.hostpub.coordinator.api.rollout.WarPieceQuery;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import io.hostpub.lifecycle.NamedThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Makes the WAR version a job must run present on this node before its process starts. A rollout keeps the new WAR
 * under the home of the machine {@code hpctl rollout} ran on; every node runs its own copy at the same place under its
 * own home ({@link WarShelf}), so the job's command is rewritten from the rollout's path to the node's copy. A copy
 * this node lacks is fetched from the peer agents of the plan in turn, in pieces, into a temporary file that becomes
 * the version's file only when its SHA-256 is the one the rollout record gives: a peer that is down, keeps another
 * file or breaks off is passed over. When no peer serves it, the rollout's own file is run where it is if it can be
 * read here with that SHA-256 (homes on a shared file system); else the start fails like any start that fails (the
 * agent's back-off, then its coordinator's placement; in a rollout, the member's step).
 */
public final class WarFetch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WarFetch.class.getName());
    /** One piece's call: a megabyte on a slow link, with the peer reading it from its disk. */
    private static final Duration PIECE_TIMEOUT = Duration.ofSeconds(20);

    private final String node;
    private final WarShelf shelf;
    private final CoordinatorStore store;
    private final Supplier<ClusterPlan> plan;
    private final ClusterClient client;
    private final ExecutorService fetcher;
    private final Map<Path, CompletableFuture<Path>> fetching = new ConcurrentHashMap<>();

    public WarFetch(String node, WarShelf shelf, CoordinatorStore store, Supplier<ClusterPlan> plan,
            ClusterClient client) {
        this.node = node;
        this.shelf = shelf;
        this.store = store;
        this.plan = plan;
        this.client = client;
        this.fetcher = NamedThreads.whileBusy("agent-" + node + "-war-fetch", 30); // no thread while nothing is fetched
    }

    /**
     * The command {@code spec} runs on this node: as given when it deploys no rollout version, else with the
     * version's path replaced by this node's copy. Done at once when the copy is here; otherwise done when it was
     * fetched, or failed with the reason no peer could give it.
     */
    public CompletableFuture<List<String>> command(JobSpec spec) throws StoreException {
        if (spec.version() == null || spec.version().equals(Rollouts.PLAN_VERSION)) {
            return CompletableFuture.completedFuture(spec.command());
        }
        Optional<Rollout> rollout = Rollouts.read(store, spec.application());
        Optional<Version> version = rollout.flatMap(r -> version(r, spec.version()));
        if (version.isEmpty() || version.get().sha256() == null) {
            return CompletableFuture.completedFuture(spec.command()); // no record of it: run what the command says
        }
        Version wanted = version.get();
        Path local = shelf.file(spec.application(), wanted.label());
        if (Files.isRegularFile(local)) {
            return CompletableFuture.completedFuture(rewrite(spec.command(), wanted.war(), local));
        }
        return fetching.computeIfAbsent(local, target -> CompletableFuture.supplyAsync(() -> {
            try {
                Path fetched = fetch(spec.application(), wanted, target);
                prune(spec.application());
                return fetched;
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e); // join() gives the IOException as the cause
            } finally {
                fetching.remove(target);
            }
        }, fetcher)).thenApply(path -> rewrite(spec.command(), wanted.war(), path));
    }

    /**
     * A new version is here: the ones no member can run again go, by the record as it is now (not as it was when the
     * fetch began). A failure costs disk space, not the job's start.
     */
    private void prune(String application) {
        try {
            Optional<Rollout> now = Rollouts.read(store, application);
            if (now.isPresent()) {
                shelf.prune(now.get());
            }
        } catch (IOException | StoreException | RuntimeException e) {
            LOG.log(Level.WARNING, "agent {0}: old versions of {1} not deleted: {2}", node, application,
                    e.toString());
        }
    }

    private static Optional<Version> version(Rollout rollout, String label) {
        return rollout.to().label().equals(label) ? Optional.of(rollout.to())
                : rollout.from().label().equals(label) ? Optional.of(rollout.from()) : Optional.empty();
    }

    private static List<String> rewrite(List<String> command, String kept, Path local) {
        String here = local.toString();
        return kept.equals(here) ? command : command.stream().map(part -> part.replace(kept, here)).toList();
    }

    /** Fetches {@code version} into {@code target} from the first peer that serves it whole and unchanged. */
    private Path fetch(String application, Version version, Path target) throws IOException {
        LOG.log(Level.INFO, "agent {0}: version {1} of {2} is not kept here: fetching it from a peer", node,
                version.label(), application);
        Files.createDirectories(target.getParent());
        List<String> tried = new ArrayList<>();
        ClusterPlan current = plan.get();
        for (ClusterPlan.Node peer : current.nodes()) {
            if (peer.name().equals(node)) {
                continue;
            }
            long began = System.nanoTime();
            Path partial = Files.createTempFile(target.getParent(), ".fetching-", ".war");
            try {
                long size = copy(current.agentEndpoint(peer.name()), application, version, partial);
                String sha256 = shelf.sha256(partial);
                if (!sha256.equals(version.sha256())) {
                    tried.add(peer.name() + ": sent other content (SHA-256 " + sha256 + ")");
                    continue;
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.log(Level.INFO, "agent {0}: version {1} of {2} fetched from {3}: {4} bytes in {5} ms", node,
                        version.label(), application, peer.name(), size, (System.nanoTime() - began) / 1_000_000);
                return target;
            } catch (IOException e) {
                tried.add(peer.name() + ": " + e.getMessage());
            } finally {
                Files.deleteIfExists(partial);
            }
        }
        Path kept = Path.of(version.war());
        if (Files.isRegularFile(kept) && shelf.sha256(kept).equals(version.sha256())) {
            // homes on a shared file system: the rollout's own file is readable here
            LOG.log(Level.INFO, "agent {0}: version {1} of {2} is served by no peer ({3}); running the rollout''s"
                    + " own file {4}", node, version.label(), application, String.join("; ", tried), kept);
            return kept;
        }
        String reason = "version " + version.label() + " of " + application + " (SHA-256 " + version.sha256()
                + ") is kept by no peer that answered: " + (tried.isEmpty() ? "no other node" : String.join("; ",
                        tried));
        LOG.log(Level.WARNING, "agent {0}: {1}", node, reason);
        throw new IOException(reason);
    }

    private long copy(java.net.InetSocketAddress peer, String application, Version version, Path partial)
            throws IOException {
        long offset = 0;
        try (OutputStream out = Files.newOutputStream(partial)) {
            while (true) {
                WarPiece piece = client.call(peer, ClusterRoutes.WAR_PIECE,
                        new WarPieceQuery(application, version.label(), version.sha256(), offset), PIECE_TIMEOUT);
                if (piece.offset() != offset) {
                    throw new IOException("answered the piece at " + piece.offset() + " for " + offset);
                }
                out.write(piece.data());
                offset += piece.data().length;
                if (offset >= piece.size()) {
                    return offset;
                }
                if (piece.data().length == 0) {
                    throw new IOException("sent an empty piece at " + offset + " of " + piece.size() + " bytes");
                }
            }
        }
    }

    @Override
    public void close() {
        fetcher.shutdownNow();
    }
}
