package io.hostpub.cli;

import io.hostpub.admin.api.wire.InstallationPaths;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --home DIR} of the commands agents and coordinators launch for each other: a plan's launcher (ssh, say)
 * appends {@code --home} with the launching side's installation home, which every machine keeps at the same path.
 */
final class HomeOption {

    @Option(names = "--home", paramLabel = "DIR",
            description = "the installation home (default: $HOSTPUB_HOME); a launcher passes it to the other machine")
    Path home;

    Path path() {
        return home != null ? home.toAbsolutePath() : InstallationPaths.fromEnvironment().home();
    }
}
