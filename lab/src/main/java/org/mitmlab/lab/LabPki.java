package org.mitmlab.lab;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.mitmlab.domains.LabSite;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.pki.RootStyle;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.pki.SiteCredential;
import org.mitmlab.pki.WebPki;

/**
 * Every key and certificate of a lab, loaded from the state directory or generated there on first
 * use, plus the trust files clients use. Both the embedded and the Docker lab start from this.
 */
public record LabPki(NationalPki national, WebPki web, Map<String, SiteCredential> sites) {
    public LabPki {
        sites = Map.copyOf(sites);
    }

    public static LabPki prepare(LabConfig config, Clock clock, SecureRandom random, Consumer<String> progress) {
        StateDir dir = config.stateDir().prepare();
        RootStyle style = RootStyle.byId(config.scenario().scenario().root());
        if (!Files.exists(dir.nationalRoot())) {
            progress.accept("Generating the national root (RSA-4096) and its intermediate...");
        }
        NationalPki.Loaded loaded = NationalPki.loadOrGenerate(dir.root(), style, clock, random, config.rootValidity());
        NationalPki national = loaded.pki();
        if (loaded.generated() && Files.exists(dir.events())) {
            progress.accept("Generated a new " + style.id() + " national root (\"" + style.rootCommonName()
                    + "\") for this scenario; a root you installed earlier no longer matches.");
        }
        if (!Files.exists(dir.webPki().resolve("root.pem"))) {
            progress.accept("Generating the simulated public Web PKI...");
        }
        WebPki web = WebPki.loadOrGenerate(dir.webPki(), clock, random);
        PemFiles.writeCertificates(dir.publicRoots(), web.trustBundle());
        List<X509Certificate> installed = new ArrayList<>(web.trustBundle());
        installed.add(national.root().certificate());
        PemFiles.writeCertificates(dir.rootsWithNational(), installed);

        List<LabSite> all = config.catalogue().sites();
        long missing = all.stream().filter(s -> !Files.exists(dir.sites().resolve(s.name() + ".pem"))).count();
        if (missing > 0) {
            progress.accept("Issuing genuine certificates for " + missing + " lab sites...");
        }
        Map<String, SiteCredential> sites = new ConcurrentHashMap<>();
        all.parallelStream().forEach(s -> sites.put(s.name(), web.loadOrIssue(s, dir.sites(), clock, random)));
        return new LabPki(national, web, sites);
    }
}
