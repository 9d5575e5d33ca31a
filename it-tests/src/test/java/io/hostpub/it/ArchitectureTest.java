package io.hostpub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules the site's internals page states: packages by feature with no cycle between them (read from the
 * compiled classes by the JDK's jdeps), and no main class over 300 lines.
 */
class ArchitectureTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final int MAX_LINES = 300;

    @Test
    void noPackageDependsOnAPackageThatDependsOnIt() throws IOException {
        Map<String, Set<String>> edges = new TreeMap<>();
        List<Path> classDirs;
        try (Stream<Path> modules = Files.list(ROOT)) {
            classDirs = modules.map(m -> m.resolve("target/classes")).filter(Files::isDirectory).sorted().toList();
        }
        assertThat(classDirs).as("compiled modules under " + ROOT).hasSizeGreaterThan(5);
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        for (Path classes : classDirs) {
            StringWriter out = new StringWriter();
            int exit = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package",
                    "-filter:none", classes.toString());
            assertThat(exit).as("jdeps on " + classes).isZero();
            for (String line : out.toString().split("\n")) {
                String[] parts = line.trim().split("\\s+->\\s+|\\s+");
                if (line.contains("->") && parts.length >= 2 && parts[0].startsWith("io.hostpub")
                        && parts[1].startsWith("io.hostpub") && !parts[0].equals(parts[1])) {
                    edges.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[1]);
                }
            }
        }
        assertThat(edges).as("package dependencies found").isNotEmpty();
        List<String> cycles = new ArrayList<>();
        for (String from : edges.keySet()) {
            for (String to : edges.get(from)) {
                if (from.compareTo(to) < 0 && reaches(edges, to, from)) {
                    cycles.add(from + " <-> " + to);
                }
            }
        }
        assertThat(cycles).as("packages that depend on each other").isEmpty();
    }

    private static boolean reaches(Map<String, Set<String>> edges, String from, String target) {
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        Map<String, Boolean> seen = new HashMap<>();
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (next.equals(target)) {
                return true;
            }
            if (seen.put(next, true) == null) {
                todo.addAll(edges.getOrDefault(next, Set.of()));
            }
        }
        return false;
    }

    @Test
    void noMainClassIsLongerThan300Lines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")
                    && f.toString().contains("/src/main/java/") && !f.toString().contains("/target/")).toList()) {
                long lines;
                try (Stream<String> content = Files.lines(file)) {
                    lines = content.count();
                }
                if (lines > MAX_LINES) {
                    tooLong.add(ROOT.relativize(file) + ": " + lines);
                }
            }
        }
        assertThat(tooLong).as("main classes over " + MAX_LINES + " lines (split them by job)").isEmpty();
    }
}
