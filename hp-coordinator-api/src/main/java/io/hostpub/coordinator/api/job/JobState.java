package io.hostpub.coordinator.api.job;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of one job (seed LIST_4, {@code JobEntry}): placed ({@link #WANTRUN}), being started ({@link #STARTING}),
 * {@link #RUNNING}, asked to stop ({@link #WANTSTOP}), {@link #STOPPED}, and back to {@link #IDLE} when removed or when
 * it fails in any live state. Every other move is illegal and rejected by {@link #checkMove(JobState)}.
 */
public enum JobState {
    IDLE, WANTRUN, STARTING, RUNNING, WANTSTOP, STOPPED;

    /** The states this one may move to. */
    public Set<JobState> next() {
        switch (this) {
            case IDLE:
                return EnumSet.of(WANTRUN);
            case WANTRUN:
                return EnumSet.of(STARTING, IDLE);
            case STARTING:
                return EnumSet.of(RUNNING, WANTSTOP, IDLE);
            case RUNNING:
                return EnumSet.of(WANTSTOP, IDLE);
            case WANTSTOP:
                return EnumSet.of(STOPPED, IDLE);
            case STOPPED:
                return EnumSet.of(IDLE);
            default:
                throw new AssertionError(this);
        }
    }

    public boolean canMoveTo(JobState to) {
        return next().contains(to);
    }

    /** @throws IllegalTransitionException if {@code to} is not one of {@link #next()} */
    public JobState checkMove(JobState to) {
        if (!canMoveTo(to)) {
            throw new IllegalTransitionException(this, to);
        }
        return to;
    }

    /** A process exists (or is being created) for the job. */
    public boolean isLive() {
        return this == STARTING || this == RUNNING || this == WANTSTOP;
    }
}
