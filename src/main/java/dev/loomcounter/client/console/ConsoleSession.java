package dev.loomcounter.client.console;

import dev.loomcounter.ExitCode;
import dev.loomcounter.client.link.Answer;
import dev.loomcounter.client.link.LinkException;
import dev.loomcounter.client.link.ServerLink;
import dev.loomcounter.protocol.Reply;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.protocol.RequestParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Objects;

/**
 * One connection driven by lines of input, typed or piped: each line is checked here, sent if it is a request, and
 * its answer shown before the next line is read. STOP or the end of input end the session the normal way: STOP,
 * wait for BYE, close. {@link #abort()} (Ctrl-C) resets the connection instead, so that the server cancels a request
 * still running rather than finishing it for nobody.
 *
 * <p>No threads of its own: a person types one line at a time, and one blocking thread per connection is all the
 * concurrency a conversation needs.
 */
public final class ConsoleSession {

    /**
     * The server's own grammar, so that a malformed line gets a helpful message at once and costs no round trip. No
     * limit on increments here: the server knows its limit, and its {@code ERR too-many-increments} says it.
     */
    private static final RequestParser PARSER = new RequestParser(Integer.MAX_VALUE);

    private final ServerLink link;
    private final BufferedReader input;
    private final Transcript transcript;
    /** Set by a Ctrl-C: from then on a broken connection is the expected end, not news. */
    private volatile boolean aborted;
    private int failures;

    public ConsoleSession(ServerLink link, BufferedReader input, Transcript transcript) {
        this.link = Objects.requireNonNull(link, "link");
        this.input = Objects.requireNonNull(input, "input");
        this.transcript = Objects.requireNonNull(transcript, "transcript");
    }

    /** Runs the session to its end and returns the exit code: 0, or 1 if the connection failed (or, piped, a line). */
    public int run() {
        transcript.greet(link.address());
        try {
            int lineNumber = 0;
            while (true) {
                transcript.prompt();
                String line = readLine();
                if (line == null) {
                    break;
                }
                lineNumber++;
                if (!line.isBlank() && !handle(lineNumber, line)) {
                    break;
                }
            }
        } catch (LinkException e) {
            link.close();
            if (aborted) {
                return ExitCode.OK;
            }
            transcript.lost(e.getMessage());
            return ExitCode.FAILED;
        }
        link.stop();
        transcript.bye();
        return transcript.exitCode(failures);
    }

    /**
     * Ends the session from another thread, as Ctrl-C does: the connection is reset, and the server cancels what runs.
     * Waiting for STOP's turn would keep a person who pressed Ctrl-C waiting for the very request they gave up on.
     */
    public void abort() {
        aborted = true;
        link.close();
    }

    /** Handles one line; false if the session should end (the line was STOP). */
    private boolean handle(int lineNumber, String line) throws LinkException {
        switch (PARSER.parse(line)) {
            case Request.Stop() -> {
                return false;
            }
            case Request.Rejected rejected -> {
                failures++;
                transcript.notSent(lineNumber, rejected);
            }
            case Request.Count request -> {
                switch (link.ask(request)) {
                    case Answer.Right right -> transcript.result(request, right.value(), right.roundTrip());
                    case Answer.Wrong(long value, long expected, long roundTrip) -> {
                        failures++;
                        transcript.wrongResult(lineNumber, request, value);
                    }
                    case Answer.Refused(Reply.Error error, long roundTrip) -> {
                        failures++;
                        transcript.serverError(lineNumber, error);
                        if (!error.code().connectionStaysOpen()) {
                            throw new LinkException("the server at " + link.address() + " closed the connection");
                        }
                    }
                }
            }
        }
        return true;
    }

    /** The next input line, or null at its end: Ctrl-D, the end of a pipe, or an input that broke. */
    private String readLine() {
        try {
            return input.readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
