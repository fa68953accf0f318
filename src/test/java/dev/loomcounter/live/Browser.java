package dev.loomcounter.live;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through Selenium, from Debian's packages: nothing is downloaded. Without them the
 * test fails and says what to install; a page test that skipped silently would prove nothing.
 */
final class Browser implements AutoCloseable {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    static Browser open(String url) {
        if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
            fail("the live view's page tests need a browser: apt-get install -y chromium chromium-driver "
                    + "(looked for " + CHROMIUM + " and " + CHROMEDRIVER + ")");
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // --no-sandbox: builds run as root; the window is the size the screenshot in the docs has.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
                "--hide-scrollbars");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.get(url);
        return new Browser(driver);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Generous: the machine that runs the tests may be busy with other builds. */
    WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(50));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
