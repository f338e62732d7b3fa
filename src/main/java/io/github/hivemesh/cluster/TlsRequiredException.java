package io.github.hivemesh.cluster;

/**
 * {@link ClusterConfig#requireTls()} is set but the transport would run without mutual TLS: the
 * transport refuses to start rather than talk in plaintext.
 */
public class TlsRequiredException extends ClusterException {

    private static final long serialVersionUID = 1L;

    /**
     * With a message saying what is missing.
     *
     * @param message the message
     */
    public TlsRequiredException(String message) {
        super(message);
    }
}
