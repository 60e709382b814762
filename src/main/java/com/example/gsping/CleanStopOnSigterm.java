package com.example.gsping;

import sun.misc.Signal;

/**
 * {@code docker stop} sends SIGTERM. The JVM's default handler runs the shutdown hooks (Micronaut's
 * graceful shutdown) but then exits 143, which orchestrators report as a failure. Treating SIGTERM
 * as a normal exit request runs the same hooks and exits 0. {@code sun.misc.Signal} (module
 * jdk.unsupported) is the only JDK API for this.
 */
final class CleanStopOnSigterm {

    private CleanStopOnSigterm() {
    }

    static void install() {
        Signal.handle(new Signal("TERM"), signal -> System.exit(0));
    }
}
