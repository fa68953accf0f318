package dev.loomcounter.client;

import java.io.Console;

/** Whether a person is watching: decides between prompts and a progress bar, or plain lines for a pipe or a log. */
final class Terminals {

    private Terminals() {
    }

    /**
     * True if standard input and output are a terminal. Since JDK 22, {@link System#console()} can return a console
     * even when both are redirected; {@link Console#isTerminal()} is the question that still means "a person".
     */
    static boolean attached() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }
}
