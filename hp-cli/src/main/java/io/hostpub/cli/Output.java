package io.hostpub.cli;

import io.hostpub.admin.api.json.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --json} and where output goes: the API's JSON through the one shared serializer, or a table. */
final class Output {

    @Option(names = "--json", description = "print the API's JSON document")
    boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** Prints {@code value} as JSON, or as {@code table} prints it. */
    <T> int print(T value, java.util.function.BiConsumer<T, PrintWriter> table) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.writeString(value));
        } else {
            table.accept(value, out);
        }
        out.flush();
        return Hpctl.OK;
    }

}
