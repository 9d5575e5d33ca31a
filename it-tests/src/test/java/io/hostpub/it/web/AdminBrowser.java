package io.hostpub.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.htmlunit.BrowserVersion;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;

/** An HtmlUnit browser on the admin pages that records every JavaScript alert (there must never be one). */
final class AdminBrowser implements AutoCloseable {

    private final WebClient client = new WebClient(BrowserVersion.FIREFOX);
    private final List<String> alerts = new ArrayList<>();

    AdminBrowser() {
        client.getOptions().setThrowExceptionOnFailingStatusCode(false);
        client.getOptions().setCssEnabled(false);
        client.getOptions().setJavaScriptEnabled(true);
        client.getOptions().setRedirectEnabled(true);
        client.getOptions().setTimeout(30_000);
        client.setAlertHandler((page, message) -> alerts.add(message));
    }

    /** Logs in through the login form of the clone serving {@code baseUrl} (".../HostPublisher"). */
    HtmlPage login(String baseUrl, String user, String password) throws IOException {
        HtmlPage loginPage = client.getPage(baseUrl + "/hpadmin/login");
        HtmlForm form = loginPage.getHtmlElementById("login");
        form.getInputByName("user").setValue(user);
        form.getInputByName("password").setValue(password);
        HtmlPage landed = form.getOneHtmlElementByAttribute("button", "type", "submit").click();
        assertThat(landed.getWebResponse().getStatusCode()).as(landed.asNormalizedText()).isEqualTo(200);
        return landed;
    }

    HtmlPage page(String url) throws IOException {
        Page page = client.getPage(url);
        assertThat(page).as("HTML page at " + url).isInstanceOf(HtmlPage.class);
        return (HtmlPage) page;
    }

    Page any(String url) throws IOException {
        return client.getPage(url);
    }

    WebClient client() {
        return client;
    }

    List<String> alerts() {
        return alerts;
    }

    @Override
    public void close() {
        client.close();
    }
}
