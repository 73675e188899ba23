package org.mitmlab.lab.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.mitmlab.lab.DetectSetup;
import org.mitmlab.lab.StateDir;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.probe.VantageService;

/**
 * Stages into the client's state directory what {@code mitmlab detect} needs there: the lab's public
 * roots (the untrusted-issuer check), the national intermediate (known roots, next to the national
 * root the client already has), the public root and every site's genuine chain (the pins), and
 * {@code detect.json} naming the hosts file, the client's system trust store, the CT log on the internet
 * container and the vantage container's service. Certificates only, re-encoded from what was parsed:
 * no key ever reaches the client.
 */
public final class ClientDetectFiles {
    /** The vantage container's service port (docker/roles/vantage.sh). */
    public static final int VANTAGE_PORT = 80;
    /** The internet container's plain-HTTP port, where the CT log answers (docker/roles/internet.sh). */
    public static final int INTERNET_HTTP_PORT = 80;
    /** The lab's hosts file in every container (docker/roles/common.sh). */
    public static final String HOSTS_FILE = "/lab/common/hosts";
    /** The client's system trust store (docker/roles/client.sh installs trust.pem there; a student may change it). */
    public static final String CLIENT_TRUST = "/etc/ssl/certs/ca-certificates.crt";
    private static final String NATIONAL_INTERMEDIATE = "national-intermediate.pem";

    private ClientDetectFiles() {
    }

    /**
     * @param lab    the host's state directory (staged from)
     * @param client the client's staged state directory, mounted at /lab/state in the container
     */
    public static void stage(StateDir lab, Path client) {
        StateDir to = new StateDir(client);
        try {
            copyCertificates(lab.publicRoots(), to.publicRoots());
            copyCertificates(lab.nationalRoot(), to.nationalRoot());
            copyCertificates(lab.root().resolve(NATIONAL_INTERMEDIATE), to.root().resolve(NATIONAL_INTERMEDIATE));
            copyCertificates(lab.webPki().resolve("root.pem"), to.webPki().resolve("root.pem"));
            Files.createDirectories(to.sites());
            try (Stream<Path> chains = Files.list(lab.sites())) {
                for (Path chain : chains.filter(p -> p.getFileName().toString().endsWith(".pem")).toList()) {
                    copyCertificates(chain, to.sites().resolve(chain.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage detect's files for the client in " + client, e);
        }
        String vantage = DockerTopology.ADDRESSES.get(DockerTopology.VANTAGE).get(DockerTopology.INTERNET_NET);
        String internet = DockerTopology.ADDRESSES.get(DockerTopology.INTERNET).get(DockerTopology.INTERNET_NET);
        new DetectSetup(HOSTS_FILE, CLIENT_TRUST, internet + ":" + INTERNET_HTTP_PORT,
                "http://" + vantage + (VANTAGE_PORT == 80 ? "" : ":" + VANTAGE_PORT) + VantageService.PATH).write(to.detectSetup());
    }

    private static void copyCertificates(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        Files.createDirectories(to.getParent());
        PemFiles.writeCertificates(to, List.copyOf(PemFiles.readCertificates(from)));
    }
}
