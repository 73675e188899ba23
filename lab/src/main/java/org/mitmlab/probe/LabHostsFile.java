package org.mitmlab.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mitmlab.domains.HostNames;
import org.mitmlab.net.Loopback;

/**
 * The Docker lab's hosts file ({@code /lab/common/hosts}, "ADDRESS NAME" per line, written by
 * {@code mitmlab up --docker}): where each lab site lives. It is how a container finds a site
 * without DNS, and the only place detect and the vantage service take addresses from, so no query
 * ever leaves for a real name. Only loopback and private addresses are kept.
 *
 * @param file      where it was read from, for messages
 * @param addresses site name (normalised) to address, in file order
 */
public record LabHostsFile(Path file, Map<String, InetAddress> addresses) {
    public LabHostsFile {
        addresses = Map.copyOf(addresses);
    }

    /** Reads {@code file}; lines that are not "IPv4-or-IPv6-literal NAME" with a private address are skipped. */
    public static LabHostsFile read(Path file) {
        Map<String, InetAddress> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2 || f[0].startsWith("#")) {
                    continue;
                }
                byte[] literal = io.netty.util.NetUtil.createByteArrayFromIpAddressString(f[0]);
                Optional<String> name = HostNames.normalize(f[1]);
                if (literal == null || name.isEmpty()) {
                    continue;
                }
                InetAddress a = InetAddress.getByAddress(literal);
                if (Loopback.isLoopbackOrPrivate(a)) {
                    out.putIfAbsent(name.get(), a);
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a parsed address literal was refused", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lab's hosts file " + file, e);
        }
        return new LabHostsFile(file, out);
    }

    /** The address of {@code name}, if the file lists it. */
    public Optional<InetAddress> address(String name) {
        return HostNames.normalize(name).map(addresses::get);
    }
}
