package org.mitmlab.lab.docker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.LabSite;

/**
 * Names and addresses of the Docker lab. Every lab site gets its own address on the internet
 * network, in catalogue order, so the box (on the isp or the ix) can redirect by destination address.
 */
public final class DockerTopology {
    public static final String LABEL = "org.mitmlab.lab";
    public static final String PREFIX = "mitmlab-";

    public static final String HOME = "home";
    public static final String ACCESS = "access";
    public static final String BACKBONE = "backbone";
    public static final String INTERNET_NET = "internet-net";

    public static final String CLIENT = "client";
    public static final String HOME_GW = "home-gw";
    public static final String ISP = "isp";
    public static final String IX = "ix";
    public static final String INTERNET = "internet";
    public static final String VANTAGE = "vantage";

    /** Roles a student can open a shell in. */
    public static final List<String> SHELL_ROLES = List.of(CLIENT, VANTAGE, ISP, HOME_GW, IX, INTERNET);

    public static final int PROXY_PORT = 8443;

    private final Map<String, String> siteAddresses = new LinkedHashMap<>();

    public DockerTopology(DomainCatalogue catalogue) {
        int host = 100;
        for (LabSite s : catalogue.sites()) {
            siteAddresses.put(s.name(), "172.30.4." + host++);
        }
        if (host > 250) {
            throw new IllegalStateException("too many sites for one /24");
        }
    }

    public static String subnet(String network) {
        return switch (network) {
            case HOME -> "172.30.1.0/24";
            case ACCESS -> "172.30.2.0/24";
            case BACKBONE -> "172.30.3.0/24";
            case INTERNET_NET -> "172.30.4.0/24";
            default -> throw new IllegalArgumentException(network);
        };
    }

    /** The containers' addresses, by role and network. */
    public static final Map<String, Map<String, String>> ADDRESSES = Map.of(
            CLIENT, Map.of(HOME, "172.30.1.10"),
            HOME_GW, Map.of(HOME, "172.30.1.2", ACCESS, "172.30.2.2"),
            ISP, Map.of(ACCESS, "172.30.2.3", BACKBONE, "172.30.3.2"),
            IX, Map.of(BACKBONE, "172.30.3.3", INTERNET_NET, "172.30.4.2"),
            INTERNET, Map.of(INTERNET_NET, "172.30.4.10"),
            VANTAGE, Map.of(INTERNET_NET, "172.30.4.5"));

    /** The network a role's container is created on (its eth0); the others are attached after start. */
    public static String primaryNetwork(String role) {
        return switch (role) {
            case CLIENT, HOME_GW -> HOME;
            case ISP -> ACCESS;
            case IX -> BACKBONE;
            case INTERNET, VANTAGE -> INTERNET_NET;
            default -> throw new IllegalArgumentException(role);
        };
    }

    public Map<String, String> siteAddresses() {
        return Map.copyOf(siteAddresses);
    }

    public String siteAddress(String name) {
        return siteAddresses.get(name);
    }

    public static String containerName(String role) {
        return PREFIX + role;
    }

    /** Hop count from client to each router: used by tests and the locate exercise. */
    public static int hopOf(String role) {
        return switch (role) {
            case HOME_GW -> 1;
            case ISP -> 2;
            case IX -> 3;
            case INTERNET -> 4;
            default -> throw new IllegalArgumentException(role);
        };
    }
}
