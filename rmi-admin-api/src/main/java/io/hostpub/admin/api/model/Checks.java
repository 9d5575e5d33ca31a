package io.hostpub.admin.api.model;

import java.util.List;
import java.util.Objects;

/** Validation shared by the DTO constructors. */
final class Checks {
    private Checks() {
    }

    static String text(String value, String field, int maxLength) {
        Objects.requireNonNull(value, field);
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(field + " longer than " + maxLength + " characters");
        }
        return value;
    }

    static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative: " + value);
        }
        return value;
    }

    static <T> List<T> list(List<T> values, String field) {
        return List.copyOf(Objects.requireNonNull(values, field));
    }
}
