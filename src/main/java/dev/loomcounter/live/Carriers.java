package dev.loomcounter.live;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform threads that run the server's work, the lanes of the page: the virtual-thread scheduler's carriers
 * ({@code ForkJoinPool-1-worker-N}) and, with fairness on, the CPU pool's {@code cpu-N}.
 */
final class Carriers {

    /** The lane of a subtask that runs on a platform thread of its own: the operating system schedules it. */
    static final String PLATFORM = "platform threads";
    /** A virtual thread between two mounts, for example while it sleeps. */
    static final String UNMOUNTED = "unmounted";

    private static final Pattern NUMBERED = Pattern.compile("(.*?)(\\d+)");
    private static final String CPU_POOL_PREFIX = "cpu-";

    private Carriers() {
    }

    /**
     * The carrier {@code thread} is mounted on now. There is no public API for it, but a virtual thread's
     * {@code toString()} ends with {@code @} and its carrier's name.
     */
    static String carrierOf(Thread thread) {
        if (!thread.isVirtual()) {
            return PLATFORM;
        }
        String text = thread.toString();
        int at = text.lastIndexOf('@');
        return at < 0 ? UNMOUNTED : text.substring(at + 1);
    }

    /** The carriers' common name prefix, e.g. {@code ForkJoinPool-1-worker-}, learned from a virtual thread. */
    static String carrierPrefix() throws InterruptedException {
        AtomicReference<String> carrier = new AtomicReference<>(UNMOUNTED);
        Thread.ofVirtual().start(() -> carrier.set(carrierOf(Thread.currentThread()))).join();
        Matcher numbered = NUMBERED.matcher(carrier.get());
        return numbered.matches() ? numbered.group(1) : carrier.get();
    }

    /** Names of the live carriers and CPU-pool threads, carriers first, each group by number. */
    static List<String> lanes(String carrierPrefix) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<String> names = new ArrayList<>();
        // Depth 0: names only, no stack walks; this runs once a second while the page is open.
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (info != null && (isNumbered(info.getThreadName(), carrierPrefix)
                    || isNumbered(info.getThreadName(), CPU_POOL_PREFIX))) {
                names.add(info.getThreadName());
            }
        }
        names.sort(Comparator.comparing((String name) -> name.startsWith(CPU_POOL_PREFIX))
                .thenComparing(Carriers::number));
        return names;
    }

    private static boolean isNumbered(String name, String prefix) {
        return name.startsWith(prefix) && name.length() > prefix.length()
                && name.substring(prefix.length()).chars().allMatch(Character::isDigit);
    }

    private static int number(String name) {
        Matcher numbered = NUMBERED.matcher(name);
        return numbered.matches() ? Integer.parseInt(numbered.group(2)) : 0;
    }
}
