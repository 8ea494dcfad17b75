package dev.gatehouse.lifecycle;

/** Run in a child JVM by {@link HangupSignalTest}: installs the SIGHUP handler and says whether it took. */
public final class HangupSignalProbe {
    private HangupSignalProbe() {
    }

    public static void main(String[] args) {
        HangupSignal hangup = HangupSignal.install(() -> System.out.println("reload asked"));
        System.out.println("installed: " + (hangup != null));
        System.out.flush();
    }
}
