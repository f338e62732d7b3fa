package io.github.hivemesh.broker;

/**
 * The counting and scheduling fields of a {@link Mailbox} (its queue pads its own indices),
 * laid out so that what producers write and what the consumer writes sit on different cache
 * lines. The JVM places a superclass's fields before its
 * subclass's, so padding classes of 16 longs (128 bytes, two lines on x86 with adjacent-line
 * prefetch) between the groups keep a producer's CAS from contending with the consumer's
 * per-message stores — the false sharing that otherwise makes every send a cache miss.
 */
final class MailboxLayout {

    private MailboxLayout() {
    }

    /**
     * Keeps the fields off the lines of whatever object the allocator placed just before the
     * mailbox (often the peer's id string, which every send hashes).
     */
    abstract static class PadBeforeCold {
        long q00, q01, q02, q03, q04, q05, q06, q07;
        long q08, q09, q0a, q0b, q0c, q0d, q0e, q0f;
    }

    abstract static class ColdFields extends PadBeforeCold {
        /** Set at creation; read by everyone. */
        volatile MessageHandler[] handlers;
        volatile Object[] acceptCallbacks;
        volatile Object[] ackCallbacks;
        volatile boolean removed;
        /** IDLE or SCHEDULED: producers read it on every send, the consumer writes it per turn. */
        volatile int state;
    }

    abstract static class PadAfterCold extends ColdFields {
        long p00, p01, p02, p03, p04, p05, p06, p07;
        long p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
    }

    abstract static class ProducerFields extends PadAfterCold {
        /** User messages reserved by producers (CAS). */
        volatile long userAccepted;
        /** Control messages accepted (atomic add by producers). */
        volatile long controlAccepted;
        /** Racy cache of {@code userDelivered + capacity}; a stale value only costs a re-read. */
        long producerLimit;
    }

    abstract static class PadAfterProducer extends ProducerFields {
        long p10, p11, p12, p13, p14, p15, p16, p17;
        long p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;
    }

    abstract static class ConsumerFields extends PadAfterProducer {
        /** User messages delivered; single writer, the draining thread; producers read it rarely. */
        volatile long userDelivered;
        /** Messages whose handlers returned; single writer, the draining thread. */
        volatile long delivered;
    }

    abstract static class PadAfterConsumer extends ConsumerFields {
        long p20, p21, p22, p23, p24, p25, p26, p27;
        long p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;
    }
}
