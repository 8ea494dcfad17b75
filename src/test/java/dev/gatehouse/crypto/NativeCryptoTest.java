package dev.gatehouse.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The native provider loads where its library is shipped, and stays out of the JCA's provider list. */
class NativeCryptoTest {
    @Test
    void loadsOnLinuxX8664() {
        assumeTrue("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch")),
                "the native library is shipped for linux-x86_64 only");
        assertThat(NativeCrypto.provider()).as("the native provider, self-tested").isNotNull();
        assertThat(NativeCrypto.provider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
    }

    @Test
    void isNeverRegisteredForTheRestOfTheProcess() {
        Provider p = NativeCrypto.provider();
        assertThat(Arrays.stream(Security.getProviders()).map(Provider::getName))
                .doesNotContain("AmazonCorrettoCryptoProvider");
        assertThat(p == null || Security.getProvider(p.getName()) == null).isTrue();
    }
}
