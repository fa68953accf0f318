package dev.loomcounter.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.testing.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The live page in a real browser: what a person looking at it would see while clients count. */
@Timeout(120)
class LiveViewPageTest {

    /** Subtasks that stay in flight, each one asleep for a minute, without using a core. */
    private static final String[] SLEEP_A_MINUTE = {"--work", "sleep", "--unit-millis", "60000", "--max-units", "1"};

    @Test
    void showsALanePerThreadAndARequestsScopeCountingToTheEnd() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        try (LiveTestServer server = LiveTestServer.start("--unit-iterations", "400000",
                "--slice-iterations", "200000");
             Browser browser = Browser.open(server.url("/"));
             TestClient client = server.connect()) {
            awaitLive(browser);
            // With fairness on, the CPU pool's threads have their lanes before any work arrives.
            browser.waiting().until(driver -> browser.driver().findElements(By.cssSelector(".lane[data-kind=cpu]")).size() == cores);
            assertThat(browser.driver().findElements(By.cssSelector(".lane[data-kind=carrier]"))).isNotEmpty();

            assertThat(client.ask("5 60")).isEqualTo("65");

            WebElement scope = browser.waiting().until(driver -> scope(browser, "conn-1/req-1"));
            browser.waiting().until(driver -> "joined".equals(scope.getDomAttribute("data-state")));
            assertThat(scope.getDomAttribute("data-done")).isEqualTo("60");
            assertThat(scope.getDomAttribute("data-cancelled")).isEqualTo("0");
            browser.waiting().until(driver -> scope.findElement(By.cssSelector(".counter")).getText().equals("65"));
            assertThat(scope.findElement(By.cssSelector(".conn")).getText()).isEqualTo("conn-1");
            assertThat(scope.findElement(By.cssSelector(".badge")).getText()).startsWith("joined");
            // The gauges moved: one connection open, and the scheduler reports its parallelism.
            browser.waiting().until(driver -> gauge(browser, "#g-connections").equals("1"));
            assertThat(browser.find("#s-parallelism").getText()).isEqualTo(Integer.toString(cores));
            // The slices ran on the CPU pool: its lanes were painted (the timeline is a canvas, so ask it).
            browser.waiting().until(driver -> Boolean.TRUE.equals(browser.driver().executeScript(
                    "return state.marks.some(m => m.lane.startsWith('cpu-'))")));
        }
    }

    @Test
    void cutsTheSubtasksOfARequestWhoseClientResetItsConnection() throws Exception {
        // Each subtask sleeps for a minute: they are all still running when the client goes.
        try (LiveTestServer server = LiveTestServer.start(SLEEP_A_MINUTE);
             Browser browser = Browser.open(server.url("/"))) {
            awaitLive(browser);
            TestClient client = server.connect();
            client.send("0 6\n");
            WebElement scope = browser.waiting().until(driver -> scope(browser, "conn-1/req-1"));
            browser.waiting().until(driver -> "6".equals(scope.getDomAttribute("data-running")));
            assertThat(scope.getDomAttribute("data-state")).isEqualTo("running");

            // SO_LINGER 0: the server's reader gets a reset, the connection's scope is cancelled, and the request
            // scope inside it with every subtask.
            client.abort();

            browser.waiting().until(driver -> "cancelled".equals(scope.getDomAttribute("data-state")));
            browser.waiting().until(driver -> "6".equals(scope.getDomAttribute("data-cancelled")));
            assertThat(scope.getDomAttribute("data-done")).isEqualTo("0");
            browser.waiting().until(driver -> scope.findElement(By.cssSelector(".badge")).getText()
                    .equals("cancelled ✗ client hung up"));
            assertThat(scope.findElement(By.cssSelector(".stats")).getText()).contains("6 cancelled");
        }
    }

    @Test
    void pauseFreezesTheTimelineAndTheDumpShowsTheScopeTree() throws Exception {
        try (LiveTestServer server = LiveTestServer.start(SLEEP_A_MINUTE);
             Browser browser = Browser.open(server.url("/"));
             TestClient client = server.connect()) {
            awaitLive(browser);
            browser.find("#pause").click();
            assertThat(browser.find("#status").getDomAttribute("data-state")).isEqualTo("paused");
            Object frozen = browser.driver().executeScript("return serverNow()");
            browser.waiting().until(driver -> browser.driver().executeScript("return serverNow()").equals(frozen));
            browser.find("#pause").click();
            assertThat(browser.find("#status").getDomAttribute("data-state")).isEqualTo("live");

            client.send("0 2\n");
            browser.waiting().until(driver -> scope(browser, "conn-1/req-1") != null);
            browser.find("#dump").click();
            WebElement request = browser.waiting().until(driver -> first(browser,
                    "#dump-tree details[data-scope='server'] details[data-scope='conn-1'] details[data-scope='conn-1/req-1']"));
            assertThat(request.getText()).contains("conn-1/req-1/increment-1").contains("conn-1/req-1/increment-2");
            assertThat(browser.find("#dump-meta").getText()).contains("the server's scopes");
        }
    }

    /**
     * Starts are 64-bit, and the load client draws them from the whole range: a JSON number read as a double keeps
     * only 53 bits, so the card would show {@code -9,223,372,036,854,776,000 + 5} and a counter that never moves.
     * The card must show the server's own numbers, to the last digit, at both ends of the range.
     */
    @Test
    void showsA64BitStartAndItsAnswerToTheLastDigit() throws Exception {
        // Each subtask sleeps a second: the card shows the request running, then joined for a few seconds more.
        try (LiveTestServer server = LiveTestServer.start("--work", "sleep", "--unit-millis", "1000",
                "--max-units", "1");
             Browser browser = Browser.open(server.url("/"));
             TestClient client = server.connect()) {
            awaitLive(browser);
            String[][] requests = {
                    {"conn-1/req-1", "-9223372036854775800", "5", "-9223372036854775795"},
                    {"conn-1/req-2", "9223372036854775800", "7", "9223372036854775807"}};
            for (String[] request : requests) {
                String name = request[0], start = request[1], increments = request[2], answer = request[3];
                client.send(start + " " + increments + "\n");
                // A card appears once its request's start has arrived: the first look shows the start it keeps.
                WebElement running = browser.waiting().until(driver -> scope(browser, name));
                assertThat(digits(running, ".sum")).isEqualTo(start + "+" + increments);
                if (name.endsWith("req-1")) {
                    Files.createDirectories(Path.of("target"));
                    Files.write(Path.of("target", "live-view-64-bit.png"),
                            browser.driver().getScreenshotAs(OutputType.BYTES));
                }

                assertThat(client.readLine()).isEqualTo(answer);
                // The counter is start + done: once joined it must read the answer, not a rounded start.
                WebElement joined = browser.waiting().until(driver -> first(browser,
                        ".scope[data-request='" + name + "'][data-state=joined]"));
                assertThat(digits(joined, ".counter")).isEqualTo(answer);
            }
        }
    }

    @Test
    void theTabsIconIsAnSvgTheBrowserCanDraw() throws Exception {
        try (LiveTestServer server = LiveTestServer.start();
             Browser browser = Browser.open(server.url("/"))) {
            // A broken SVG (one "--" inside an XML comment is enough) is served fine and drawn as nothing: load it.
            Object size = browser.driver().executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const image = new Image();
                    image.onload = () => done(image.naturalWidth + 'x' + image.naturalHeight);
                    image.onerror = () => done('not drawn');
                    image.src = document.querySelector('link[rel=icon]').href;""");
            assertThat(size).isEqualTo("32x32");
        }
    }

    /**
     * The picture for the docs: three clients counting at once, as in {@code demo}. Written only when asked, with
     * {@code -Dlive.screenshot=docs/img/live-view.png}, so that a normal build leaves tracked files alone.
     */
    @Test
    void threeClientsAtOnceMakeAPicture() throws Exception {
        List<String> requests = List.of("2 300", "100 150", "1000 200");
        AtomicBoolean pictureTaken = new AtomicBoolean();
        try (LiveTestServer server = LiveTestServer.start("--unit-iterations", "1500000", "--max-units", "5",
                "--slice-iterations", "200000");
             Browser browser = Browser.open(server.url("/"));
             var clients = StructuredTaskScope.open(Joiner.<Integer>allSuccessfulOrThrow())) {
            awaitLive(browser);
            List<StructuredTaskScope.Subtask<Integer>> answered = new ArrayList<>();
            for (String request : requests) {
                answered.add(clients.fork(() -> {
                    int rounds = 0;
                    try (TestClient client = server.connect()) {
                        while (!pictureTaken.get()) {
                            assertThat(client.ask(request)).doesNotStartWith("ERR");
                            rounds++;
                        }
                    }
                    return rounds;
                }));
            }
            try {
                // Three scopes side by side, subtasks in every state, lanes busy: the moment worth a picture.
                browser.waiting().until(driver -> Boolean.TRUE.equals(browser.driver().executeScript(
                        "return state.marks.filter(m => m.lane.startsWith('cpu-')).length > 200")));
                browser.waiting().until(driver -> !gauge(browser, "#g-p99").equals("–"));
                browser.waiting().until(driver -> browser.driver().findElements(
                        By.cssSelector(".scope[data-state=running]")).size() >= 2);
                byte[] png = browser.driver().getScreenshotAs(OutputType.BYTES);
                assertThat(png).startsWith(0x89, 'P', 'N', 'G');
                String target = System.getProperty("live.screenshot");
                if (target != null) {
                    Files.write(Path.of(target), png);
                }
            } finally {
                pictureTaken.set(true);
            }
            clients.join();
            assertThat(answered).allSatisfy(client -> assertThat(client.get()).isPositive());
        }
    }

    private static void awaitLive(Browser browser) {
        browser.waiting().until(driver -> "live".equals(browser.find("#status").getDomAttribute("data-state")));
    }

    private static WebElement scope(Browser browser, String request) {
        return first(browser, ".scope[data-request='" + request + "']");
    }

    private static WebElement first(Browser browser, String css) {
        List<WebElement> found = browser.driver().findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.getFirst();
    }

    /** The text of {@code css} in {@code card} without grouping separators and spaces: digits and signs only. */
    private static String digits(WebElement card, String css) {
        return card.findElement(By.cssSelector(css)).getText().replaceAll("[,\\s]", "");
    }

    private static String gauge(Browser browser, String id) {
        return browser.find(id + " .value").getText();
    }
}
