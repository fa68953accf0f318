package dev.loomcounter.client.console;

import dev.loomcounter.ExitCode;
import dev.loomcounter.client.link.RoundTrip;
import dev.loomcounter.client.link.ServerAddress;
import dev.loomcounter.protocol.ErrorCode;
import dev.loomcounter.protocol.Reply;
import dev.loomcounter.protocol.Request;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * What a {@link ConsoleSession} shows, and where: the session's logic is written once, its two faces are these.
 * Sealed: a person at a terminal, or a pipe. Nothing else reads a console session.
 */
public sealed interface Transcript {

    /** Connected: say to whom. */
    void greet(ServerAddress address);

    /** Ready for the next line. */
    void prompt();

    /** The server counted, and right. */
    void result(Request.Count request, long value, Duration roundTrip);

    /** The server counted, and wrong: a bug in the server, never the user's fault. */
    void wrongResult(int lineNumber, Request.Count request, long value);

    /** The line was not sent: checked here, it would only have earned an {@code ERR}. */
    void notSent(int lineNumber, Request.Rejected rejected);

    /** The server answered {@code ERR}. */
    void serverError(int lineNumber, Reply.Error error);

    /** STOP, end of input or Ctrl-C: the session ended as asked. */
    void bye();

    /** The connection failed; {@code message} is one line naming the address and what happened. */
    void lost(String message);

    /** The process's exit code after a session that ended as asked, with {@code failures} failed lines. */
    int exitCode(int failures);

    /** A person at a terminal: prompts, sentences, round-trip times; a mistake is part of the conversation. */
    record Interactive(PrintWriter out, PrintWriter err) implements Transcript {

        /** The original client's prompt, word for word. */
        public static final String PROMPT = "Please enter a number, space, then number of increments (or STOP to quit):";

        @Override
        public void greet(ServerAddress address) {
            out.println("Connected to the counting server at " + address + ".");
        }

        @Override
        public void prompt() {
            out.println(PROMPT);
        }

        @Override
        public void result(Request.Count request, long value, Duration roundTrip) {
            out.printf("%d + %d = %d   (round trip %s)%n", request.start(), request.increments(), value,
                    RoundTrip.format(roundTrip.toNanos()));
        }

        @Override
        public void wrongResult(int lineNumber, Request.Count request, long value) {
            out.printf("%d + %d = %d?  WRONG: the server should have said %d%n", request.start(),
                    request.increments(), value, request.expectedResult());
        }

        @Override
        public void notSent(int lineNumber, Request.Rejected rejected) {
            // A line that is no request at all gets an example; a well-formed one out of range speaks for itself.
            out.println("Not sent: " + rejected.reason()
                    + (rejected.code() == ErrorCode.BAD_REQUEST ? ". For example: 2 10" : "."));
        }

        @Override
        public void serverError(int lineNumber, Reply.Error error) {
            out.println("The server says: " + error.text() + " (" + error.code().wireName() + ")");
        }

        @Override
        public void bye() {
            out.println("Bye.");
        }

        @Override
        public void lost(String message) {
            err.println(message);
        }

        @Override
        public int exitCode(int failures) {
            // A typo or a refused request was answered on the spot; the session itself went as asked.
            return ExitCode.OK;
        }
    }

    /**
     * Lines in, lines out, for scripts: one answer per line on stdout and nothing else there, so that the output can be
     * piped on; every problem on stderr with its input line number; a failed line fails the run. With
     * {@code timings}, each answer's round trip goes to stderr too, for measuring with a script.
     */
    record Piped(PrintWriter out, PrintWriter err, boolean timings) implements Transcript {

        @Override
        public void greet(ServerAddress address) {
        }

        @Override
        public void prompt() {
        }

        @Override
        public void result(Request.Count request, long value, Duration roundTrip) {
            out.println(value);
            if (timings) {
                out.flush(); // the answer first, then its time, when both go to one terminal
                err.printf("%d %d -> %d in %s%n", request.start(), request.increments(), value,
                        RoundTrip.format(roundTrip.toNanos()));
            }
        }

        @Override
        public void wrongResult(int lineNumber, Request.Count request, long value) {
            out.println(value);
            err.println("line " + lineNumber + ": " + request.start() + " + " + request.increments() + " = " + value
                    + " is wrong, expected " + request.expectedResult());
        }

        @Override
        public void notSent(int lineNumber, Request.Rejected rejected) {
            err.println("line " + lineNumber + ": not sent: " + rejected.reason());
        }

        @Override
        public void serverError(int lineNumber, Reply.Error error) {
            err.println("line " + lineNumber + ": " + error.toLine());
        }

        @Override
        public void bye() {
        }

        @Override
        public void lost(String message) {
            err.println(message);
        }

        @Override
        public int exitCode(int failures) {
            return failures == 0 ? ExitCode.OK : ExitCode.FAILED;
        }
    }
}
