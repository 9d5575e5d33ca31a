package io.hostpub.coordinator.agent;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.job.JobRecord;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StoreException;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * A node's job records in the store (scope {@code agent/<node>}, one key per job), written under the agent's fence:
 * what the next agent of the node re-adopts, and what makes a superseded agent's write fail.
 */
final class JobJournal {

    private static final System.Logger LOG = System.getLogger(JobJournal.class.getName());

    private final CoordinatorStore store;
    private final String node;
    private volatile Fence fence;

    JobJournal(CoordinatorStore store, String node) {
        this.store = store;
        this.node = node;
    }

    /** Takes the node's fence, superseding any earlier agent of the node; returns its epoch. */
    long acquire() throws StoreException {
        fence = store.acquire(scope(), "agent " + node + " pid " + ProcessHandle.current().pid());
        return fence.epoch();
    }

    /** What the previous agents of the node recorded; an unreadable record is logged and skipped. */
    List<JobRecord> recorded() throws StoreException {
        return JobRecord.read(store, node, (key, why) -> LOG.log(Level.WARNING,
                "agent {0}: ignoring unreadable job record {1}: {2}", node, key, why));
    }

    void record(SupervisedJob job) throws StoreException {
        long pid = job.process().map(ProcessHandle::pid).orElse(0L);
        store.put(fence, key(job.spec().name()), Json.write(new JobRecord(job.spec(), pid, job.processStart(),
                job.statistics(), job.incidents(), job.instance() == null ? null : job.instance().token())));
    }

    void remove(String job) throws StoreException {
        store.delete(fence, key(job));
    }

    private String scope() {
        return JobRecord.scope(node);
    }

    private static String key(String jobName) {
        return JobRecord.key(jobName);
    }
}
