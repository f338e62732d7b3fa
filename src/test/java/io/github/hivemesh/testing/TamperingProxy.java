package io.github.hivemesh.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 that forwards every connection to a target port on 127.0.0.1, both
 * ways, and, when armed, flips one bit of one byte going one way: a man in the middle for the
 * tests of what the cluster transport does with altered bytes.
 *
 * <p>Two ways to arm it, each for the next chance in one {@link Direction} on any connection,
 * once:
 * <ul>
 * <li>{@link #armTls} — the stream is read as TLS records (a 5-byte header: content type,
 * version, 2-byte length; then that many bytes) from its first byte, and the flip lands in the
 * middle of the payload of the next {@code application_data} record (type 23; in TLS 1.3 all
 * encrypted records, so also a post-handshake message or alert) — inside the AEAD ciphertext
 * or tag, never in a header, so only authentication can catch it;</li>
 * <li>{@link #armAfter} — for plaintext: the byte right after the next occurrence of a marker.
 * </li>
 * </ul>
 * It counts the flips made and how many connections with a flip closed afterwards.
 *
 * <p>Bounded: at most {@value #MAX_CONNECTIONS} connections at a time (more are refused), two
 * daemon threads each, one accepting thread; {@link #close()} closes every socket and waits
 * (bounded) for the threads to end. Thread-safe.
 */
public final class TamperingProxy implements AutoCloseable {

    /** The way bytes go through a connection. */
    public enum Direction {
        /** From the connecting side to the target. */
        TO_TARGET,
        /** From the target back to the connecting side. */
        FROM_TARGET
    }

    /** Connections open at once, above which new ones are refused. */
    public static final int MAX_CONNECTIONS = 32;
    private static final int APPLICATION_DATA = 23;
    private static final int RECORD_HEADER = 5;
    private static final long JOIN_MILLIS = 5_000;

    private final ServerSocket server;
    private final int targetPort;
    private final Thread acceptor;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<Arming> armed = new AtomicReference<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger flipped = new AtomicInteger();
    private final AtomicInteger closedAfterFlip = new AtomicInteger();

    /** What to flip next, in which direction; taken (compare-and-set) by the pump that flips. */
    private record Arming(Direction direction, byte[] marker) {
    }

    private TamperingProxy(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
        this.acceptor = new Thread(this::accept, "tampering-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    /** A proxy listening on 127.0.0.1 at {@code port}, forwarding to 127.0.0.1 at {@code target}. */
    public static TamperingProxy start(int port, int target) {
        ServerSocket server;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        TamperingProxy proxy = new TamperingProxy(server, target);
        proxy.acceptor.start();
        return proxy;
    }

    /** The port it listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** The address it listens on, for a member behind it to advertise. */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    /**
     * Flips one bit in the payload of the next TLS {@code application_data} record going in
     * {@code direction}, on whichever connection carries one first; replaces any arming.
     */
    public void armTls(Direction direction) {
        armed.set(new Arming(Objects.requireNonNull(direction, "direction"), null));
    }

    /**
     * Flips one bit of the byte right after the next occurrence of {@code marker} going in
     * {@code direction}; replaces any arming. The marker must not overlap itself (no proper
     * prefix is also a suffix).
     */
    public void armAfter(Direction direction, byte[] marker) {
        Objects.requireNonNull(marker, "marker");
        if (marker.length == 0) {
            throw new IllegalArgumentException("marker must not be empty");
        }
        armed.set(new Arming(Objects.requireNonNull(direction, "direction"), marker.clone()));
    }

    /** Forwards unchanged from now on (a flip already decided on still happens). */
    public void disarm() {
        armed.set(null);
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Connections open now. */
    public int open() {
        return links.size();
    }

    /** Bytes flipped so far. */
    public int flipped() {
        return flipped.get();
    }

    /** Connections that had a flip and have closed since. */
    public int closedAfterFlip() {
        return closedAfterFlip.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        quietly(server);
        for (Link link : links) {
            link.close();
        }
        List<Thread> all;
        synchronized (threads) {
            all = new ArrayList<>(threads);
        }
        all.add(acceptor);
        long deadline = System.currentTimeMillis() + JOIN_MILLIS;
        for (Thread thread : all) {
            try {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "TamperingProxy[127.0.0.1:" + port() + " -> " + targetPort + ", accepted="
                + accepted + ", open=" + links.size() + ", flipped=" + flipped
                + ", closedAfterFlip=" + closedAfterFlip + "]";
    }

    private void accept() {
        while (!closed.get()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;                               // closed
            }
            if (links.size() >= MAX_CONNECTIONS) {
                quietly(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        targetPort), 2_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
            } catch (IOException e) {
                quietly(client);
                quietly(upstream);
                continue;
            }
            accepted.incrementAndGet();
            Link link = new Link(client, upstream);
            links.add(link);
            if (closed.get()) {
                link.close();
                return;
            }
            link.start();
        }
    }

    private static void quietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing on the way out; nothing to do about a failure
        }
    }

    /** One proxied connection: the client's socket, the target's, a pump each way. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final AtomicBoolean tampered = new AtomicBoolean();

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            Thread out = pump(client, upstream, Direction.TO_TARGET);
            Thread back = pump(upstream, client, Direction.FROM_TARGET);
            synchronized (threads) {
                threads.removeIf(t -> !t.isAlive());
                threads.add(out);
                threads.add(back);
            }
            out.start();
            back.start();
        }

        private Thread pump(Socket from, Socket to, Direction direction) {
            Thread thread = new Thread(() -> {
                try {
                    forward(from.getInputStream(), to.getOutputStream(), direction);
                } catch (IOException e) {
                    // a side closed or reset: the connection is over, both ways
                } finally {
                    close();
                }
            }, "tampering-proxy-" + port() + "-" + direction);
            thread.setDaemon(true);
            return thread;
        }

        private void forward(InputStream in, OutputStream out, Direction direction)
                throws IOException {
            Scanner scanner = new Scanner(direction);
            byte[] buffer = new byte[16 << 10];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (scanner.scan(buffer, n)) {
                    tampered.set(true);
                    flipped.incrementAndGet();
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        }

        void close() {
            if (ended.compareAndSet(false, true)) {
                quietly(client);
                quietly(upstream);
                links.remove(this);
                if (tampered.get()) {
                    closedAfterFlip.incrementAndGet();
                }
            }
        }
    }

    /**
     * Follows one direction's bytes — TLS record boundaries, and the progress of a marker match
     * — and flips the byte the arming asks for. Called from that direction's pump only.
     */
    private final class Scanner {
        private final Direction direction;
        private final byte[] header = new byte[RECORD_HEADER];
        private int headerRead;
        /** Bytes of the current record's payload still to come. */
        private int payloadLeft;
        /** Bytes of the current payload to skip before the flip, or -1 for no flip. */
        private int flipAt = -1;
        /** The arming {@link #markerMatched} counts for. */
        private Arming matching;
        private int markerMatched;
        private boolean flipNext;

        Scanner(Direction direction) {
            this.direction = direction;
        }

        /** Scans {@code n} bytes of {@code buffer} in place; true if it flipped one. */
        boolean scan(byte[] buffer, int n) {
            boolean flippedHere = false;
            for (int i = 0; i < n; i++) {
                flippedHere |= scanTls(buffer, i);
                flippedHere |= scanMarker(buffer, i);
            }
            return flippedHere;
        }

        private boolean scanTls(byte[] buffer, int i) {
            if (payloadLeft == 0) {
                header[headerRead++] = buffer[i];
                if (headerRead == RECORD_HEADER) {
                    headerRead = 0;
                    payloadLeft = (header[3] & 0xff) << 8 | header[4] & 0xff;
                    Arming arming = armed.get();
                    if ((header[0] & 0xff) == APPLICATION_DATA && payloadLeft > 0
                            && arming != null && arming.marker() == null
                            && arming.direction() == direction
                            && armed.compareAndSet(arming, null)) {
                        flipAt = payloadLeft / 2;
                    }
                }
                return false;
            }
            payloadLeft--;
            if (flipAt >= 0 && flipAt-- == 0) {
                buffer[i] ^= 0x01;
                return true;
            }
            return false;
        }

        private boolean scanMarker(byte[] buffer, int i) {
            if (flipNext) {
                flipNext = false;
                buffer[i] ^= 0x01;
                return true;
            }
            Arming arming = armed.get();
            if (arming == null || arming.marker() == null || arming.direction() != direction) {
                markerMatched = 0;
                return false;
            }
            if (arming != matching) {
                matching = arming;
                markerMatched = 0;
            }
            byte[] marker = arming.marker();
            if (buffer[i] == marker[markerMatched]) {
                markerMatched++;
            } else {
                markerMatched = buffer[i] == marker[0] ? 1 : 0;
            }
            if (markerMatched == marker.length) {
                markerMatched = 0;
                flipNext = armed.compareAndSet(arming, null);
            }
            return false;
        }
    }
}
