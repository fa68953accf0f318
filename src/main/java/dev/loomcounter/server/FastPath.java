package dev.loomcounter.server;

import dev.loomcounter.counting.RequestCounter;
import dev.loomcounter.protocol.Request;
import java.io.IOException;

/**
 * The fast path: a brief request answered by the connection's own thread, without a worker. Runs on the connection's
 * thread, between two reads.
 *
 * <p>Why: a worker costs a fork and two hand-offs, for a request that ends before the hand-off would (at most
 * {@code RequestCounter.BRIEF_SUBTASKS} increments whose work ends within about a millisecond whatever the draws).
 * Nobody needs to watch for a reset meanwhile: the request is over within that millisecond anyway, and the lines the
 * client sent meanwhile wait in the socket, to be read next, in order. Measured against the worker path at 50 and
 * 1,000 connections, it serves a quarter to a half more requests a second (docs/performance.md).
 */
final class FastPath {

    /**
     * A binding made once, by the acceptor, around the server's scope: every connection's thread inherits it from
     * {@code fork()}, and so holds it for its whole life. Nothing reads it: it exists for a JDK 25 rule that this path
     * runs into. {@code fork()} requires the forking thread's scoped-value bindings to be the very ones its scope was
     * opened with, and a thread that has never had a binding comes back from its first {@code ScopedValue.call}
     * (answering a brief request binds the request's context) with an empty set of bindings in place of none: its
     * next fork into the connection's scope, of a worker or of {@code ClientGone}, would throw
     * {@code StructureViolationException}. Inherited, the binding gives the thread bindings from the start, and every
     * call restores them exactly. Why the acceptor binds it and not each connection: a binding made on the
     * connection's thread stays on its stack for as long as it is idle, three frames, about a kilobyte of memory for
     * every idle connection.
     */
    private static final ScopedValue<Boolean> SERVING = ScopedValue.newInstance();

    private final RequestCounter counter;
    private final Responder responder;
    private final ReplyBatch replies;
    private final Handoff handoff;

    FastPath(RequestCounter counter, Responder responder, ReplyBatch replies, Handoff handoff) {
        this.counter = counter;
        this.responder = responder;
        this.replies = replies;
        this.handoff = handoff;
    }

    /** Runs the acceptor's loop with the binding this path needs, for every connection it forks: see {@link #SERVING}. */
    static void bound(Runnable acceptLoop) {
        ScopedValue.where(SERVING, true).run(acceptLoop);
    }

    /**
     * Answers {@code request} on this thread, if it is brief and no worker is answering.
     *
     * @param moreRead true if the next line has been read already: its reply can go out in the same write
     * @return false if a worker must answer it: the request may take long, or earlier ones are still being answered
     * @throws IOException if the reply could not be written: the client is gone
     */
    boolean answered(Request request, boolean moreRead) throws IOException, InterruptedException {
        boolean brief = !(request instanceof Request.Count count) || counter.isBrief(count);
        if (!brief || !handoff.claim()) {
            return false;
        }
        try {
            replies.add(responder.reply(request));
            // Replies to pipelined lines already read go out in one write, after the last of them; BYE always goes
            // now, since nothing after STOP is answered.
            if (request instanceof Request.Stop || !moreRead || replies.full()) {
                replies.write();
            }
        } finally {
            handoff.release();
        }
        return true;
    }
}
