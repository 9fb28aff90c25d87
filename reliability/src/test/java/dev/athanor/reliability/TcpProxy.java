package dev.athanor.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on {@code 127.0.0.1} in front of a database, for fault tests: the engine connects to {@link #port()}
 * and the proxy forwards to the real server, or misbehaves as told.
 *
 * <ul>
 *   <li>{@link Mode#PASS}: forward (two pump threads per connection);</li>
 *   <li>{@link Mode#DELAY}: wait {@link #delay(Duration)} after accepting, then forward (a slow connect);</li>
 *   <li>{@link Mode#REFUSE}: close each new connection at once (the database is down);</li>
 *   <li>{@link Mode#HANG}: accept and never answer (a connect that hangs) until the mode changes or the proxy
 *       closes;</li>
 * </ul>
 * and {@link #dropAll()} closes every live connection in both directions (the database went away), and
 * {@link #cutReplyTo(String)} lets one request through but never its reply (the connection died just after the server
 * acted on it).
 *
 * <p>All threads are daemons; {@link #close()} stops them and closes every socket. Only for 127.0.0.1.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.to(5432)) {
 *     proxy.mode(TcpProxy.Mode.REFUSE);   // new connects fail
 *     proxy.dropAll();                    // live ones die
 *     proxy.mode(TcpProxy.Mode.PASS);     // the database is back
 * }
 * }</pre>
 */
final class TcpProxy implements AutoCloseable {
    /** How the proxy treats connections accepted from now on. */
    enum Mode { PASS, DELAY, REFUSE, HANG }

    private static final AtomicInteger PROXIES = new AtomicInteger();

    private final int targetPort;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object modeChange = new Object();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger hanging = new AtomicInteger();
    /** The marker of {@link #cutReplyTo(String)} in effect, as bytes; null when none is. */
    private final AtomicReference<byte[]> cutMarker = new AtomicReference<>();
    private final AtomicReference<String> cutRequest = new AtomicReference<>();
    private final AtomicInteger cuts = new AtomicInteger();
    private final String name;
    private volatile Mode mode = Mode.PASS;
    private volatile long delayMillis;
    private volatile boolean closed;

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.name = "tcp-proxy-" + PROXIES.incrementAndGet();
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.acceptor = daemon(name + "-accept", this::acceptLoop);
        acceptor.start();
    }

    /** A proxy forwarding to {@code 127.0.0.1:targetPort}. */
    static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a proxy port on 127.0.0.1", e);
        }
    }

    /** The local port to connect to. */
    int port() {
        return server.getLocalPort();
    }

    /** Changes how new connections are treated; leaving {@link Mode#HANG} or DELAY releases the waiting ones. */
    void mode(Mode newMode) {
        synchronized (modeChange) {
            mode = newMode;
            modeChange.notifyAll();
        }
    }

    Mode mode() {
        return mode;
    }

    /** Sets the mode to {@link Mode#DELAY} with this delay before a connection is forwarded. */
    void delay(Duration delay) {
        delayMillis = delay.toMillis();
        mode(Mode.DELAY);
    }

    /** Closes every live connection (both sides). New connections are treated by the current mode. */
    void dropAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    /**
     * Once: the next request a client sends that contains {@code marker} (compared as ISO-8859-1 bytes, e.g.
     * {@code "COMMIT"}) is forwarded to the server, and when the server's reply arrives the connection is reset in
     * both directions instead of forwarding it. The server has then acted on the request (it replied), and the client
     * sees only a lost connection: the outcome of that request is unknown to it.
     */
    void cutReplyTo(String marker) {
        cutMarker.set(marker.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Replies withheld by {@link #cutReplyTo(String)} so far. */
    int cuts() {
        return cuts.get();
    }

    /** The request whose reply was last withheld, as ISO-8859-1 text (protocol bytes included), or null. */
    String lastCutRequest() {
        return cutRequest.get();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Connections closed at once by {@link Mode#REFUSE}. */
    int refused() {
        return refused.get();
    }

    /** Connections waiting now in {@link Mode#HANG} or {@link Mode#DELAY}. */
    int hanging() {
        return hanging.get();
    }

    /** Waits until at least {@code count} connections hang; false after {@code timeout}. */
    boolean awaitHanging(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (modeChange) {
            while (hanging.get() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(modeChange, left);
            }
            return true;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            if (mode == Mode.REFUSE) {
                refused.incrementAndGet();
                closeQuietly(client);
                continue;
            }
            sockets.add(client);
            daemon(name + "-conn", () -> serve(client)).start();
        }
    }

    private void serve(Socket client) {
        try {
            if (!waitWhileHeld(client)) {
                return;
            }
            Socket upstream = new Socket();
            sockets.add(upstream);
            if (closed || client.isClosed()) {
                closeQuietly(upstream);
                return;
            }
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            Link link = new Link();
            daemon(name + "-up", () -> pump(client, upstream, link, true)).start();
            pump(upstream, client, link, false);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** Holds a new connection while the mode says so; false when it was refused, dropped or the proxy closed. */
    private boolean waitWhileHeld(Socket client) throws IOException {
        long start = System.nanoTime();
        boolean counted = false;
        try {
            synchronized (modeChange) {
                while (!closed && !client.isClosed()) {
                    Mode m = mode;
                    if (m == Mode.PASS) {
                        return true;
                    }
                    if (m == Mode.REFUSE) {
                        refused.incrementAndGet();
                        closeQuietly(client);
                        return false;
                    }
                    long waitMillis = 50; // re-check: dropAll() closes the socket without notifying
                    if (m == Mode.DELAY) {
                        long left = delayMillis - (System.nanoTime() - start) / 1_000_000;
                        if (left <= 0) {
                            return true;
                        }
                        waitMillis = Math.min(waitMillis, left);
                    }
                    if (!counted) {
                        counted = true;
                        hanging.incrementAndGet();
                        modeChange.notifyAll();
                    }
                    modeChange.wait(waitMillis);
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(client);
            return false;
        } finally {
            if (counted) {
                hanging.decrementAndGet();
            }
        }
    }

    /** One proxied connection's state shared by its two pumps. */
    private static final class Link {
        /** Set by the client-side pump before it forwards the request whose reply is to be withheld. */
        volatile boolean cutNextReply;
    }

    private void pump(Socket from, Socket to, Link link, boolean toServer) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (toServer) {
                    byte[] marker = cutMarker.get();
                    if (marker != null && contains(buffer, n, marker) && cutMarker.compareAndSet(marker, null)) {
                        cutRequest.set(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                        link.cutNextReply = true; // before forwarding: the reply cannot overtake it
                    }
                } else if (link.cutNextReply) {
                    cuts.incrementAndGet();
                    return; // the reply is dropped; finally resets both sides
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // One side went away: close both, as a dropped network would.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0); // reset, so the peer sees the loss at once
            }
        } catch (SocketException ignored) {
            // already gone
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (modeChange) {
            modeChange.notifyAll();
        }
        dropAll();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + "[127.0.0.1:" + port() + " -> 127.0.0.1:" + targetPort + ", " + mode + "]";
    }
}
