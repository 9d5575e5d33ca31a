package io.hostpub.admin.web;

import io.hostpub.runtime.HostpubRuntime;
import io.hostpub.runtime.audit.AuditJournal;
import io.hostpub.runtime.security.AdminCredentials;
import java.time.Clock;

/** The security parts of one runtime's admin web layer. */
record WebSecurity(HostpubRuntime runtime, Signer signer, LoginCookie login, CsrfTokens csrf,
        CredentialCheck credentials, AuditJournal audit) {

    static final String ATTRIBUTE = WebSecurity.class.getName();

    static WebSecurity of(HostpubRuntime runtime) {
        Signer signer = new Signer(runtime.secret());
        Clock clock = Clock.systemUTC();
        RevokedLogins revoked = new RevokedLogins(runtime.config().secretFile().toAbsolutePath()
                .resolveSibling(RevokedLogins.FILE), clock);
        CredentialCheck credentials = new CredentialCheck(runtime.adminCredentials(),
                AdminCredentials.viewer(runtime.config()), signer, clock);
        return new WebSecurity(runtime, signer, new LoginCookie(signer, clock, revoked, credentials::accessOf),
                new CsrfTokens(signer, clock), credentials, AuditJournal.of(runtime.config().home()));
    }
}
