package io.github.hivemesh.broker;

import java.util.Map;

/**
 * Some recipients of a broadcast or publication refused the message. Every other recipient did
 * accept it; {@link #failures()} names each refusal and its cause.
 */
public class BroadcastException extends BrokerException {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, Throwable> failures;

    /**
     * An exception listing the recipients that refused and why.
     *
     * @param failures recipient id to the reason it refused
     */
    public BroadcastException(Map<String, Throwable> failures) {
        super(failures.size() + " recipient(s) refused the message: " + failures.keySet(),
                failures.values().iterator().next());
        this.failures = Map.copyOf(failures);
    }

    /** {@return recipient id to the reason it refused} */
    public Map<String, Throwable> failures() {
        return failures;
    }
}
