package dev.loomcounter.live;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live view's record of the scopes open now ({@link ThreadTree}), read from tests outside this package: who owns
 * each scope, and where a thread of the tree is. The same record the view's thread dump walks, safe at any moment.
 */
public final class OpenScopes {

    private OpenScopes() {
    }

    /**
     * Each open scope's name and the name of its owner, the thread that opened it: {@code conn-1/req-1} is owned
     * by {@code conn-1} when the connection's own thread answers the request, by {@code conn-1/worker-1} when a
     * worker does.
     */
    public static Map<String, String> owners(Recorder live) {
        Map<String, String> owners = new LinkedHashMap<>();
        live.threads().open().forEach(scope -> owners.put(scope.name(), scope.owner().getName()));
        return owners;
    }

    /** The stack of the live thread named {@code name} that an open scope forked, top frame first; empty if none. */
    public static List<String> stackOf(Recorder live, String name) {
        return live.threads().open().stream()
                .flatMap(scope -> scope.alive().stream())
                .filter(thread -> thread.getName().equals(name))
                .findFirst()
                .map(thread -> Arrays.stream(thread.getStackTrace())
                        .map(frame -> frame.getClassName() + "." + frame.getMethodName())
                        .toList())
                .orElse(List.of());
    }
}
