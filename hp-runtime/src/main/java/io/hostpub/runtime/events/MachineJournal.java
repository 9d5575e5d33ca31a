package io.hostpub.runtime.events;

import io.hostpub.admin.api.json.Json;
import io.hostpub.admin.api.model.MachineEvent;
import io.hostpub.runtime.files.DirectoryLock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The machine's event journal, {@code <home>/events/events.log}: every instance of the machine appends its events as
 * JSON lines (under the directory's file lock, one write each), so an instance's history survives its restarts and a
 * killed instance leaves its last words and its departure. Rotated at {@link #ROTATE_BYTES} into {@code events.log.1}.
 * Best effort: events are also in each container's log, so a journal that cannot be written costs one warning.
 */
public final class MachineJournal {

    public static final String DIRECTORY = "events";
    static final long ROTATE_BYTES = 4L * 1024 * 1024;
    /** How much of the journal's end a reader looks at: thousands of events, a few milliseconds. */
    static final int TAIL_BYTES = 512 * 1024;
    private static final System.Logger LOG = System.getLogger(MachineJournal.class.getName());

    private final Path directory;
    private volatile boolean warned;

    public MachineJournal(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    public static MachineJournal of(Path home) {
        return new MachineJournal(home.resolve(DIRECTORY));
    }

    void append(MachineEvent event) {
        byte[] line = (new String(Json.write(event), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            DirectoryLock.holding(directory, "events.lock", () -> {
                Path current = directory.resolve("events.log");
                if (Files.isRegularFile(current) && Files.size(current) >= ROTATE_BYTES) {
                    Files.move(current, directory.resolve("events.log.1"), StandardCopyOption.REPLACE_EXISTING);
                }
                try (FileChannel out = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
                    ByteBuffer buffer = ByteBuffer.wrap(line);
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                }
                return null;
            });
        } catch (IOException e) {
            if (!warned) {
                warned = true;
                LOG.log(System.Logger.Level.WARNING, "machine event journal " + directory + " cannot be written ("
                        + e + "); events go to the container's log only");
            }
        }
    }

    /** The newest events (of one instance, if given), oldest first, at most {@code max}. */
    public List<MachineEvent> newest(int max, Optional<String> instance) throws IOException {
        List<MachineEvent> found = new ArrayList<>();
        for (String name : List.of("events.log", "events.log.1")) {
            List<String> lines = tail(directory.resolve(name));
            for (int i = lines.size() - 1; i >= 0 && found.size() < max; i--) {
                try {
                    MachineEvent event = Json.read(lines.get(i).getBytes(StandardCharsets.UTF_8), MachineEvent.class);
                    if (instance.map(event.instance()::equals).orElse(true)) {
                        found.add(event);
                    }
                } catch (IllegalArgumentException unreadable) {
                    // a line cut short by a crash, or not ours: skipped
                }
            }
            if (found.size() >= max) {
                break;
            }
        }
        Collections.reverse(found);
        return found;
    }

    /** The complete lines of the file's last {@link #TAIL_BYTES}. */
    private static List<String> tail(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            int length = (int) Math.min(size, TAIL_BYTES);
            byte[] bytes = new byte[length];
            in.seek(size - length);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int first = size > length ? text.indexOf('\n') + 1 : 0; // the first line may be cut: skip it
            int last = text.lastIndexOf('\n');
            return last < first ? List.of() : List.of(text.substring(first, last).split("\n"));
        }
    }
}
