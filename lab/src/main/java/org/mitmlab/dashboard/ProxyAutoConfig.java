package org.mitmlab.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The lab's proxy auto-config (PAC) file: the lab's names go to its proxy, everything else
 * {@code DIRECT}, so a student can point their own browser at it and keep using other sites.
 * Served by the dashboard at {@code /proxy.pac}.
 *
 * <p>Exact names only, no suffix match: the proxy refuses every name outside the lab, so sending
 * {@code anything.vk.com} its way would only turn a working site into an error.
 *
 * @param proxyHost where the browser reaches the proxy ({@code 127.0.0.1})
 * @param proxyPort the running proxy's port
 * @param names     the lab's host names, sorted and lower case
 */
public record ProxyAutoConfig(String proxyHost, int proxyPort, List<String> names) {
    /** The content type browsers expect for a PAC file. */
    public static final String CONTENT_TYPE = "application/x-ns-proxy-autoconfig";
    // DNS names and IP literals only: anything else would be JavaScript injected into the file
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

    public ProxyAutoConfig {
        if (proxyPort < 1 || proxyPort > 65_535) {
            throw new IllegalArgumentException("proxy port out of range: " + proxyPort);
        }
        if (!NAME.matcher(proxyHost).matches()) {
            throw new IllegalArgumentException("not a host name or IPv4 address: " + proxyHost);
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String n : names) {
            String name = n.toLowerCase(Locale.ROOT);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a DNS name: " + n);
            }
            sorted.add(name);
        }
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("a PAC file needs at least one lab name");
        }
        names = List.copyOf(sorted);
    }

    /** Sends {@code names} to the proxy on 127.0.0.1:{@code proxyPort}. */
    public static ProxyAutoConfig loopback(int proxyPort, Collection<String> names) {
        return new ProxyAutoConfig("127.0.0.1", proxyPort, List.copyOf(names));
    }

    /** What the browser's {@code FindProxyForURL} returns for a lab name. */
    public String proxyDirective() {
        return "PROXY " + proxyHost + ":" + proxyPort;
    }

    /** The file, a JavaScript function as every browser's PAC engine expects. */
    public String text() {
        StringBuilder js = new StringBuilder(64 * names.size() + 512);
        js.append("// mitmlab: only the lab's ").append(names.size()).append(" names go through its proxy; every other site\n")
                .append("// is reached DIRECT, so this browser keeps working for the rest of the web.\n")
                .append("function FindProxyForURL(url, host) {\n")
                .append("  host = host.toLowerCase();\n")
                .append("  if (host.charAt(host.length - 1) == \".\") {\n")
                .append("    host = host.substring(0, host.length - 1);\n")
                .append("  }\n")
                .append("  if (");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                js.append(" ||\n      ");
            }
            js.append("host == \"").append(names.get(i)).append('"');
        }
        js.append(") {\n")
                .append("    return \"").append(proxyDirective()).append("\";\n")
                .append("  }\n")
                .append("  return \"DIRECT\";\n")
                .append("}\n");
        return js.toString();
    }

    public byte[] bytes() {
        return text().getBytes(StandardCharsets.US_ASCII);
    }
}
