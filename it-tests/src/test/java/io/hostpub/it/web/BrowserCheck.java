package io.hostpub.it.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs) driven
 * by Selenium: logs in, waits for the instance list and saves a screenshot under {@code target/screenshots}.
 */
final class BrowserCheck {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));

    private BrowserCheck() {
    }

    static Path screenshotInstanceList(String baseUrl, String user, String password, int instances) throws Exception {
        return screenshot(baseUrl, user, password, null, By.cssSelector("#instances tbody tr"), instances,
                "instance-list.png");
    }

    /** What a test does with a browser that is logged in. */
    interface Session {
        void run(WebDriver driver) throws Exception;
    }

    /** Headless Chromium logged in on the clone serving {@code baseUrl}, for the session's length. */
    static void loggedIn(String baseUrl, String user, String password, Session session) throws Exception {
        WebDriver driver = start();
        try {
            logIn(driver, baseUrl, user, password);
            session.run(driver);
        } finally {
            driver.quit();
        }
    }

    private static void logIn(WebDriver driver, String baseUrl, String user, String password) {
        driver.get(baseUrl + "/hpadmin/login");
        driver.findElement(By.name("user")).sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(password);
        driver.findElement(By.cssSelector("#login button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("/hpadmin/"));
    }

    private static WebDriver start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the browser test needs Debian's chromium and chromium-driver: "
                    + "apt-get install -y chromium chromium-driver (.ci/run installs them)");
        }
        Path profile = Files.createTempDirectory("hostpub-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 900));
        return driver;
    }

    private static Path screenshot(String baseUrl, String user, String password, String page, By awaited, int count,
            String name) throws Exception {
        WebDriver driver = start();
        try {
            logIn(driver, baseUrl, user, password);
            if (page != null) {
                driver.get(baseUrl + page);
            }
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(
                    ExpectedConditions.numberOfElementsToBe(awaited, count));
            Path target = Path.of("target", "screenshots");
            Files.createDirectories(target);
            Path file = target.resolve(name);
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } finally {
            driver.quit();
        }
    }
}
