package dev.gatehouse.gateway.connection;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Makes {@link StrictRequestDecoder}s with the limits the data port's own decoder has (initial line,
 * header size, chunk size), captured from the options Quarkus builds the HTTP and HTTPS servers
 * with, before either listens.
 */
@ApplicationScoped
public class StrictDecoders implements HttpServerOptionsCustomizer {
    private volatile HttpServerOptions options;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        capture(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        capture(options);
    }

    private void capture(HttpServerOptions options) {
        if (this.options == null) {
            this.options = new HttpServerOptions(options); // a copy: the limits are what matter
        }
    }

    /** Whether the options are known, so that decoders can be made. */
    boolean ready() {
        return options != null;
    }

    StrictRequestDecoder newDecoder() {
        return new StrictRequestDecoder(options);
    }
}
