package io.hostpub.runtime.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Says what went wrong with a file in words. The JDK's file exceptions often carry only the path as their message
 * ({@code AccessDeniedException: /srv/hostpub/conf}), so a start-up error built from {@code getMessage()} named the
 * file but not the cause.
 */
public final class FileProblems {

    private FileProblems() {
    }

    public static String describe(IOException e) {
        if (e instanceof AccessDeniedException denied) {
            return denied.getFile() + ": permission denied (the user running this JVM, "
                    + System.getProperty("user.name") + ", may not write or read it)";
        }
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": does not exist";
        }
        if (e instanceof NotDirectoryException notDir) {
            return notDir.getFile() + ": is not a directory";
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + ": exists already";
        }
        if (e instanceof FileSystemException fs) {
            return (fs.getFile() != null ? fs.getFile() + ": " : "") + (fs.getReason() != null ? fs.getReason()
                    : e.getClass().getSimpleName()) + (fs.getOtherFile() != null ? " (" + fs.getOtherFile() + ")" : "");
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
