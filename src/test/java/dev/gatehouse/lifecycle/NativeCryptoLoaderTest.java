package dev.gatehouse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.crypto.NativeCrypto;
import org.junit.jupiter.api.Test;

/** The boot-time load of the native provider runs off the caller's thread and leaves it loaded. */
class NativeCryptoLoaderTest {
    @Test
    void loadsOnADaemonThreadOfItsOwn() throws Exception {
        Thread t = NativeCryptoLoader.loadInBackground();
        assertThat(t).isNotSameAs(Thread.currentThread());
        assertThat(t.isDaemon()).isTrue();
        t.join(30_000);
        assertThat(t.isAlive()).isFalse();
        boolean linuxX64 = "Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"));
        assertThat(NativeCrypto.provider() != null).isEqualTo(linuxX64);
    }
}
