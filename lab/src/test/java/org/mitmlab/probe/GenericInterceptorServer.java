package org.mitmlab.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.mitmlab.testing.GenericForgery;

/**
 * A generic transparent interceptor for tests: TLS straight in on 127.0.0.1, and whatever name the
 * ClientHello asks for (or none), it answers with the same forged leaf from its self-made CA. It
 * forwards nothing; detect only needs the handshake.
 */
final class GenericInterceptorServer implements AutoCloseable {
    private final SSLServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "generic-interceptor");
        t.setDaemon(true);
        return t;
    });

    GenericInterceptorServer(GenericForgery forgery) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] password = "test".toCharArray();
        ks.setKeyEntry("forged", forgery.leafKey(), password, forgery.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                threads.execute(() -> serve((SSLSocket) s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void serve(SSLSocket s) {
        try (s) {
            s.setSoTimeout(5_000);
            s.startHandshake();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // wait for the client to close (bounded by the read timeout)
            }
        } catch (IOException e) {
            // the client went away: nothing to do
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }
}
