package dev.gatehouse.testing;

import java.io.IOException;
import java.io.InputStream;

/** Reading streaming responses in tests: how a stream ends tells a cut from a normal end. */
public final class Streams {
    private Streams() {
    }

    /** Reads to the end; true when the stream breaks off (a reset, a truncated chunked body), false on a clean end. */
    public static boolean endsInError(InputStream in) {
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // keep reading until the stream ends or is cut
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
