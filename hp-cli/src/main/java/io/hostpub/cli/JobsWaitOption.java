package io.hostpub.cli;

import picocli.CommandLine.Option;

/** {@code --wait SECONDS} of the commands that change the applications and wait for the jobs to match. */
final class JobsWaitOption {

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
            description = "how long to wait for the jobs to match (0: do not wait; at most 3600)")
    int seconds;
}
