package dev.loomcounter.live;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Events on their way from the server's threads to the page: many writers, one reader, a fixed capacity.
 *
 * <p>Why it drops instead of waiting: the writers are the server's own subtasks. If the page falls behind, a
 * subtask that waited for room would slow the count down for the sake of a picture of it. So a full ring drops the
 * event and counts it, and the page says how many it missed.
 */
final class EventRing {

    private final int capacity;
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();

    EventRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be 1 or more, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Whether an event would fit now. Writers ask first, so that once the ring is full an event costs a read, not
     * the building of a string that would be thrown away. A racy answer is fine: {@link #add} decides.
     */
    boolean hasRoom() {
        if (size.get() < capacity) {
            return true;
        }
        dropped.increment();
        return false;
    }

    void add(Event event) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.increment();
            return;
        }
        events.add(event);
    }

    /** Takes every event queued so far, oldest first: the one reader's call. */
    List<Event> drain() {
        List<Event> taken = new ArrayList<>(Math.min(size.get(), capacity));
        Event event;
        while ((event = events.poll()) != null) {
            taken.add(event);
            size.decrementAndGet();
        }
        return taken;
    }

    /** Events dropped since the start because the ring was full. */
    long dropped() {
        return dropped.sum();
    }

    void clear() {
        drain();
    }
}
