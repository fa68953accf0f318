package dev.loomcounter.client.load;

import dev.loomcounter.client.link.Answer;
import dev.loomcounter.client.link.LinkException;
import dev.loomcounter.client.link.ServerLink;
import dev.loomcounter.protocol.Reply;
import dev.loomcounter.protocol.Request;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One connection of a closed-loop run, on its own virtual thread: ask, wait for the answer, check it, ask again. It
 * blocks in every read, which parks the virtual thread and frees its carrier for the other connections. A request not
 * answered within {@code --timeout} ends the connection.
 */
final class ClosedLoopConnection {

    private ClosedLoopConnection() {
    }

    static void run(ServerLink link, RandomGenerator random, LoadSettings settings, Phases phases, LoadTally tally)
            throws LinkException {
        int measuredSent = 0;
        while (true) {
            long now = System.nanoTime();
            if (!phases.allows(now, measuredSent)) {
                break;
            }
            boolean measured = phases.measured(now);
            Request.Count request = settings.nextRequest(random);
            Optional<Answer> reply = link.ask(request, settings.timeout());
            if (reply.isEmpty()) {
                tally.timedOut(request, measured, settings.timeout());
                // A late reply would pass for the next request's: the connection ends here, with a reset that makes
                // the server cancel the request's subtasks (LoadRun closes the link).
                return;
            }
            Answer answer = reply.get();
            tally.record(request, answer, measured);
            if (measured) {
                measuredSent++;
            }
            if (answer instanceof Answer.Refused(Reply.Error error, long roundTrip)
                    && !error.code().connectionStaysOpen()) {
                return; // the server has closed this connection (busy, line too long): counted, done
            }
        }
        link.stop();
    }
}
