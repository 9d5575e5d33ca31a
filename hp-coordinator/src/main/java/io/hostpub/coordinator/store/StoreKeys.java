package io.hostpub.coordinator.store;

import java.util.regex.Pattern;

/** The shape of scope and key names: the same in every store (they become file records and znode paths). */
final class StoreKeys {

    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9_.-]{1,64}(/[A-Za-z0-9_.-]{1,64}){0,4}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}(/[A-Za-z0-9_.-]{1,64}){0,3}");

    private StoreKeys() {
    }

    static String checkScope(String scope) {
        if (scope == null || !SCOPE.matcher(scope).matches() || dotsOnly(scope)) {
            throw new IllegalArgumentException("invalid store scope '" + scope
                    + "': 1-5 slash-separated parts of letters, digits, '.', '_' or '-', not only dots");
        }
        return scope;
    }

    static String checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches() || dotsOnly(key)) {
            throw new IllegalArgumentException("invalid store key '" + key
                    + "': 1-4 slash-separated parts of letters, digits, '.', '_' or '-'");
        }
        return key;
    }

    private static boolean dotsOnly(String name) {
        for (String part : name.split("/")) {
            if (part.chars().allMatch(c -> c == '.')) {
                return true;
            }
        }
        return false;
    }
}
