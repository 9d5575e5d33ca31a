package io.hostpub.it.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The site page "Running on several machines" ({@code src-site/src/site/markdown/machines.md}), read by the test bed's
 * tests so that what the page tells operators is what they run: its commands, its {@code zoo.cfg} and its plan. The
 * page's example addresses are 10.0.0.11, .12 and .13 (machines a, b, c); the tests put their machines' in.
 */
final class MachinesPage {

    static final List<String> EXAMPLE_ADDRESSES = List.of("10.0.0.11", "10.0.0.12", "10.0.0.13");

    private MachinesPage() {
    }

    static String text() {
        try {
            return Files.readString(Path.of("..", "src-site", "src", "site", "markdown", "machines.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fenced code blocks of the section whose heading starts with {@code heading}, with the fence's info. */
    static List<String> blocks(String heading, String info) {
        String page = text();
        int start = page.indexOf("\n" + heading);
        if (start < 0) {
            throw new IllegalStateException("machines.md has no section " + heading);
        }
        int end = page.indexOf("\n## ", start + 1);
        String section = page.substring(start, end < 0 ? page.length() : end);
        List<String> blocks = new ArrayList<>();
        int at = 0;
        while ((at = section.indexOf("\n```" + info + "\n", at)) >= 0) {
            int body = at + 5 + info.length();
            int close = section.indexOf("\n```", body - 1);
            blocks.add(section.substring(body, close + 1));
            at = close + 4;
        }
        return blocks;
    }

    /** The command lines of a section's {@code sh} blocks, comments and blank lines left out. */
    static List<List<String>> commands(String heading) {
        List<List<String>> commands = new ArrayList<>();
        for (String block : blocks(heading, "sh")) {
            for (String line : block.lines().toList()) {
                String command = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
                if (!command.isBlank()) {
                    commands.add(List.of(command.strip().split("\\s+")));
                }
            }
        }
        return commands;
    }

    /** {@code text} with the page's example addresses replaced by {@code addresses}, in order. */
    static String withAddresses(String text, List<String> addresses) {
        String result = text;
        for (int i = 0; i < addresses.size(); i++) {
            result = result.replace(EXAMPLE_ADDRESSES.get(i), addresses.get(i));
        }
        return result;
    }
}
