package dev.gatehouse.gateway;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: 16 random hex digits, enough to find one request in the logs. */
final class RequestIds {
    private RequestIds() {
    }

    static String next() {
        long v = ThreadLocalRandom.current().nextLong();
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = Character.forDigit((int) (v & 0xf), 16);
            v >>>= 4;
        }
        return new String(out);
    }
}
