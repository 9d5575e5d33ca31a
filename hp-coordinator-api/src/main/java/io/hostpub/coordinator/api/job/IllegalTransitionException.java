package io.hostpub.coordinator.api.job;

/** A job state move the state machine does not allow (for example RUNNING -> STARTING). */
public final class IllegalTransitionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final JobState from;
    private final JobState to;

    public IllegalTransitionException(JobState from, JobState to) {
        super("illegal job state transition " + from + " -> " + to + " (allowed from " + from + ": " + from.next()
                + ")");
        this.from = from;
        this.to = to;
    }

    public JobState from() {
        return from;
    }

    public JobState to() {
        return to;
    }
}
