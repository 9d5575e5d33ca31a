package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.wire.Message;

/** Where a license request's answer goes: over a subordinate's link, or to the supervisor's own pools. */
interface LicenseRequester {
    String name();

    /** False once the requester is gone: its request is dropped, ungranted. */
    boolean present();

    /** {@code units} requested, {@code granted} counted for it in the ledger (units plus a lease). */
    void granted(int units, int granted);

    void denied(String reason);

    /** A subordinate's request: answered over its link. */
    record Link(SubordinateSession session, String name, long requestId, SendDeadline deadline)
            implements LicenseRequester {
        @Override
        public boolean present() {
            return session.isRunning();
        }

        @Override
        public void granted(int units, int granted) {
            send(new Message.LicenseGranted(requestId, granted));
        }

        @Override
        public void denied(String reason) {
            send(new Message.LicenseDenied(requestId, reason));
        }

        /** On the link's own thread a plain send; from a thread serving every link, one with a deadline. */
        private void send(Message answer) {
            if (Thread.currentThread() == session.thread) {
                session.trySend(answer);
            } else {
                session.sendWithin(answer, deadline);
            }
        }
    }
}
