package io.github.isolation.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.awaitility.Awaitility.await;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver: a real browser with a
 * profile of its own. Page actions as small methods, so that tests read as what a user does.
 */
final class Browser implements AutoCloseable {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Path SCREENSHOTS = Path.of("..", "docs", "images");

	private final ChromeDriver driver;

	private final Path profile;

	private final String base;

	Browser(String base) throws IOException {
		this.base = base;
		this.profile = Files.createTempDirectory("console-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
				"--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		this.driver.manage().window().setSize(new Dimension(1366, 860));
		this.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(15));
	}

	static boolean available() {
		return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
	}

	WebDriver driver() {
		return this.driver;
	}

	void open(String path) {
		this.driver.get(this.base + path);
	}

	void logIn(String user, String password) {
		this.driver.manage().deleteAllCookies();
		open("/login");
		this.driver.findElement(By.id("username")).sendKeys(user);
		this.driver.findElement(By.id("password")).sendKeys(password);
		this.driver.findElement(By.id("login")).click();
	}

	// Waits for the element: after a click that submits a form, the next page may not be there yet.
	WebElement find(By by) {
		return await().atMost(Duration.ofSeconds(10))
			.ignoreException(NoSuchElementException.class)
			.until(() -> this.driver.findElement(by), Objects::nonNull);
	}

	// Clicks a button that submits a form, and returns once the page it was on has been replaced.
	void submit(By button) {
		WebElement page = this.driver.findElement(By.tagName("html"));
		find(button).click();
		await().atMost(Duration.ofSeconds(10)).until(() -> isGone(page));
	}

	private static boolean isGone(WebElement element) {
		try {
			element.isEnabled();
			return false;
		}
		catch (StaleElementReferenceException ex) {
			return true;
		}
	}

	boolean has(By by) {
		return !this.driver.findElements(by).isEmpty();
	}

	void fill(String id, String value) {
		WebElement input = find(By.id(id));
		input.clear();
		input.sendKeys(value);
	}

	Object script(String script, Object... args) {
		return ((JavascriptExecutor) this.driver).executeScript(script, args);
	}

	Object asyncScript(String script, Object... args) {
		return ((JavascriptExecutor) this.driver).executeAsyncScript(script, args);
	}

	String text() {
		return find(By.tagName("body")).getText();
	}

	void screenshot(String name) throws IOException {
		if (Files.isDirectory(SCREENSHOTS.getParent())) {
			Files.createDirectories(SCREENSHOTS);
			byte[] png = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.BYTES);
			Files.write(SCREENSHOTS.resolve("console-" + name + ".png"), png);
		}
	}

	@Override
	public void close() throws IOException {
		try {
			this.driver.quit();
		}
		finally {
			try (var files = Files.walk(this.profile)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

}
