package org.mitmlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mitmlab.detect.KnownRoots;
import org.mitmlab.lab.StateDir;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.trust.Certutil;
import org.mitmlab.trust.InstalledCertificate;
import org.mitmlab.trust.JdkKeystores;
import org.mitmlab.trust.NssDatabase;
import org.mitmlab.trust.PemBundles;
import org.mitmlab.trust.RootMatcher;
import org.mitmlab.trust.StoreContents;
import org.mitmlab.trust.StoreKind;
import org.mitmlab.trust.TrustFinding;
import org.mitmlab.trust.TrustLocations;
import org.mitmlab.trust.TrustStoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab trust}: where is a national root installed on this machine ({@code check}), and
 * putting the lab's root into, or every known one out of, a lab browser profile ({@code install},
 * {@code remove}).
 *
 * <p>The defaults are read from the environment: the home directory from the system property
 * {@code mitmlab.trust.home} (else {@code user.home}), the JDK from {@code mitmlab.trust.java-home}
 * (else $JAVA_HOME, else {@code java.home}), certutil from {@code mitmlab.certutil} (else PATH).
 * Tests set the properties so they never read or change the real profile or cacerts.
 */
@Command(name = "trust", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Trust-store hygiene: find national and known interception roots installed on this machine, "
                + "and install or remove the lab's root in a lab browser profile (an NSS database).",
        subcommands = {TrustCommand.Check.class, TrustCommand.Install.class, TrustCommand.Remove.class})
public final class TrustCommand implements Runnable {
    /** The nickname {@code install} gives the lab's root in an NSS database. */
    static final String NICKNAME = "Qaznet Trust Network (mitmlab)";
    static final String HOME_PROPERTY = "mitmlab.trust.home";
    static final String JAVA_HOME_PROPERTY = "mitmlab.trust.java-home";
    static final String CERTUTIL_PROPERTY = "mitmlab.certutil";
    static final String NO_CERTUTIL = "certutil not found: install libnss3-tools (Debian/Ubuntu) or nss-tools (Fedora)";

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static TrustLocations locations() {
        String home = System.getProperty(HOME_PROPERTY, System.getProperty("user.home"));
        String javaHome = System.getProperty(JAVA_HOME_PROPERTY);
        if (javaHome == null) {
            String env = System.getenv("JAVA_HOME");
            javaHome = env != null && !env.isBlank() ? env : System.getProperty("java.home");
        }
        return new TrustLocations(Path.of(home), Path.of(javaHome), TrustLocations.SYSTEM_BUNDLES);
    }

    static Optional<Certutil> certutil() {
        return Certutil.locate(System.getenv("PATH"), System.getProperty(CERTUTIL_PROPERTY), System.getProperty("os.name", ""));
    }

    /** The shipped list plus the lab's national root and intermediate when the state directory has them. */
    static KnownRoots knownRoots(StateDir dir) {
        return DetectCommand.knownRoots(dir);
    }

    // ---------------------------------------------------------------- check

    /** {@code mitmlab trust check}. */
    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"List where a national or known interception root is installed: the JDK's cacerts, the system "
                    + "bundle and NSS databases (Chromium's ~/.pki/nssdb, every Firefox profile, and --nss-db). Roots are "
                    + "matched by SPKI SHA-256 against the shipped list (Qaznet 2019, ISCA 2020 and later) and this lab's "
                    + "national root. NSS databases need certutil (libnss3-tools); without it they are skipped.",
                "Only reads; changes nothing."},
            footer = {"", "Exit codes: 0 none installed, 12 a national/interception root is installed, 2 usage error, 3 user error."})
    static final class Check implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private StateDirOption stateDir;

        @Option(names = "--json", description = "Print JSON (findings, stores checked, stores skipped) for scripts.")
        private boolean json;

        @Option(names = "--nss-db", paramLabel = "DIR", description = "Also check this NSS database (repeatable).")
        private List<Path> nssDbs = new ArrayList<>();

        @Option(names = "--jdk-cacerts", paramLabel = "FILE",
                description = "The JDK trust store to check (password \"changeit\"). Default: $JAVA_HOME/lib/security/cacerts")
        private Path jdkCacerts;

        @Option(names = "--system-bundle", paramLabel = "FILE",
                description = "The PEM bundle to check instead of the system's (repeatable). Default: "
                        + "/etc/ssl/certs/ca-certificates.crt and /etc/pki/tls/certs/ca-bundle.crt, those present.")
        private List<Path> systemBundles = new ArrayList<>();

        /** A store that was not read, and why. */
        record Skipped(String what, String reason) {
        }

        @Override
        public Integer call() {
            TrustLocations where = locations();
            RootMatcher matcher = new RootMatcher(knownRoots(stateDir.stateDir()));
            List<StoreContents> checked = new ArrayList<>();
            List<Skipped> skipped = new ArrayList<>();

            Path cacerts = jdkCacerts != null ? requireFile(jdkCacerts, "--jdk-cacerts") : where.jdkCacerts();
            read(() -> JdkKeystores.read(cacerts, JdkKeystores.DEFAULT_PASSWORD.toCharArray()), cacerts, StoreKind.JDK_KEYSTORE,
                    jdkCacerts != null, checked, skipped);

            List<Path> bundles = systemBundles.isEmpty() ? where.existingSystemBundles()
                    : systemBundles.stream().map(b -> requireFile(b, "--system-bundle")).toList();
            if (bundles.isEmpty()) {
                skipped.add(new Skipped(StoreKind.PEM_BUNDLE.label(), "none of " + where.systemBundles() + " exists"));
            }
            for (Path b : bundles) {
                read(() -> PemBundles.read(b), b, StoreKind.PEM_BUNDLE, !systemBundles.isEmpty(), checked, skipped);
            }

            List<Path> dbs = new ArrayList<>(where.nssDatabases());
            List<Path> explicitDbs = new ArrayList<>();
            for (Path db : nssDbs) {
                if (!NssDatabase.exists(db)) {
                    throw UserError.of("--nss-db " + db + " holds no NSS database (cert9.db): check the path");
                }
                Path abs = db.toAbsolutePath().normalize();
                explicitDbs.add(abs);
                if (!dbs.contains(abs)) {
                    dbs.add(abs);
                }
            }
            Optional<Certutil> certutil = certutil();
            if (certutil.isEmpty()) {
                spec.commandLine().getErr().println("mitmlab: " + NO_CERTUTIL + "; skipping NSS databases");
                dbs.forEach(db -> skipped.add(new Skipped(StoreKind.NSS_DB.label() + " " + db, "certutil not found")));
            } else {
                for (Path db : dbs) {
                    read(() -> new NssDatabase(db, certutil.get()).read(), db, StoreKind.NSS_DB, explicitDbs.contains(db), checked,
                            skipped);
                }
            }

            List<TrustFinding> findings = checked.stream().flatMap(s -> matcher.findings(s).stream()).toList();
            int code = findings.isEmpty() ? ExitCodes.OK : ExitCodes.INTERCEPTION_ROOT_INSTALLED;
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(json(findings, checked, skipped, code));
            } else {
                text(out, findings, checked, skipped);
            }
            return code;
        }

        private interface Reader {
            StoreContents read();
        }

        /** Reads one store; a store given on the command line must be readable, a default one is skipped if not. */
        private static void read(Reader reader, Path where, StoreKind kind, boolean explicit, List<StoreContents> checked,
                List<Skipped> skipped) {
            if (!explicit && !Files.exists(where)) {
                skipped.add(new Skipped(kind.label() + " " + where, "not found"));
                return;
            }
            try {
                checked.add(reader.read());
            } catch (TrustStoreException e) {
                if (explicit) {
                    throw UserError.of(e.getMessage() + ": check the path", e);
                }
                skipped.add(new Skipped(kind.label() + " " + where, e.getMessage()));
            }
        }

        private static Path requireFile(Path file, String option) {
            if (!Files.isRegularFile(file)) {
                throw UserError.missingFile(option, file);
            }
            return file;
        }

        private static void text(PrintWriter out, List<TrustFinding> findings, List<StoreContents> checked, List<Skipped> skipped) {
            for (TrustFinding f : findings) {
                out.println("FOUND  " + f.kind().label() + " " + f.location() + "  entry \"" + f.entry() + "\"  "
                        + f.root().name() + "  SPKI SHA-256 " + f.spki());
            }
            for (Skipped s : skipped) {
                out.println("skipped  " + s.what() + ": " + s.reason());
            }
            int certificates = checked.stream().mapToInt(s -> s.certificates().size()).sum();
            String summary = "Checked " + checked.size() + " trust store" + (checked.size() == 1 ? "" : "s") + " (" + certificates
                    + " certificates): ";
            if (findings.isEmpty()) {
                out.println(summary + "no national or known interception root is installed.");
            } else {
                out.println(summary + findings.size() + " national/interception root" + (findings.size() == 1 ? " is" : "s are")
                        + " installed. Remove them: docs/remove-the-root.md (or 'mitmlab trust remove --nss-db DIR' for a lab profile).");
            }
        }

        private static String json(List<TrustFinding> findings, List<StoreContents> checked, List<Skipped> skipped, int code) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("exitCode", code);
            root.put("installed", !findings.isEmpty());
            ArrayNode fs = root.putArray("findings");
            for (TrustFinding f : findings) {
                ObjectNode n = fs.addObject();
                n.put("store", f.kind().id());
                n.put("location", f.location().toString());
                n.put("entry", f.entry());
                n.put("root", f.root().name());
                n.put("source", f.root().source());
                n.put("spkiSha256", f.spki().sha256Hex());
            }
            ArrayNode cs = root.putArray("checked");
            for (StoreContents s : checked) {
                cs.addObject().put("store", s.kind().id()).put("location", s.location().toString())
                        .put("certificates", s.certificates().size());
            }
            ArrayNode ss = root.putArray("skipped");
            for (Skipped s : skipped) {
                ss.addObject().put("what", s.what()).put("reason", s.reason());
            }
            return root.toPrettyString();
        }
    }

    // ---------------------------------------------------------------- install and remove

    /** What install and remove share: the NSS database and the guard on the user's real profile. */
    static final class NssDbOptions {
        @Option(names = "--nss-db", required = true, paramLabel = "DIR",
                description = "The NSS database directory of a lab browser profile (created by install if missing).")
        Path db;

        @Option(names = "--yes-this-is-my-profile",
                description = "Allow changing your real browser database (~/.pki/nssdb or a Firefox profile).")
        boolean realProfileAllowed;

        Path checkedDb() {
            if (!realProfileAllowed && locations().isRealProfile(db)) {
                throw UserError.of("--nss-db " + db + " is your real browser profile's NSS database: use a throw-away "
                        + "profile directory, or add --yes-this-is-my-profile if you mean it");
            }
            return db.toAbsolutePath().normalize();
        }

        static Certutil requireCertutil() {
            return certutil().orElseThrow(() -> UserError.of(NO_CERTUTIL + ", then run this again"));
        }
    }

    /** {@code mitmlab trust install}. */
    @Command(name = "install", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Install the lab's national root in an NSS database (a throw-away Chromium or Firefox profile), "
                    + "trusted for web sites, as the 2019 ISPs asked users to do. Creates the database if missing. Needs "
                    + "certutil (libnss3-tools).",
                "Refuses your real ~/.pki/nssdb or Firefox profiles unless --yes-this-is-my-profile is given."})
    static final class Install implements Runnable {
        @Spec
        private CommandSpec spec;

        @Mixin
        private StateDirOption stateDir;

        @Mixin
        private NssDbOptions options;

        @Override
        public void run() {
            Path db = options.checkedDb();
            Certutil certutil = NssDbOptions.requireCertutil();
            PrintWriter out = spec.commandLine().getOut();
            X509Certificate root = stateDir.nationalRoot(out);
            StateDir dir = stateDir.stateDir();
            Fingerprint spki = Fingerprint.spkiOf(root);
            try {
                if (!NssDatabase.exists(db)) {
                    Files.createDirectories(db);
                    certutil.create(db);
                    out.println("Created an empty NSS database in " + db);
                }
                NssDatabase nss = new NssDatabase(db, certutil);
                if (nss.read().certificates().stream().anyMatch(c -> Fingerprint.spkiOf(c.certificate()).equals(spki))) {
                    out.println("The lab's national root is already installed in " + db + " (SPKI SHA-256 " + spki + ")");
                    return;
                }
                certutil.addTrustedCa(db, NICKNAME, NationalPki.rootCertificateFile(dir.root()));
            } catch (TrustStoreException e) {
                throw UserError.of(e.getMessage(), e);
            } catch (java.io.IOException e) {
                throw UserError.of("cannot create " + db + ": " + e.getMessage() + ": choose a writable directory", e);
            }
            out.println("Installed the lab's national root in " + db + " as \"" + NICKNAME + "\" (trust C,,; SPKI SHA-256 "
                    + spki + ")\nRemove it with: mitmlab trust remove --nss-db " + db);
        }
    }

    /** {@code mitmlab trust remove}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Remove every known interception root (Qaznet 2019, ISCA 2020 and later) and the lab's national "
                    + "root from an NSS database, matched by SPKI SHA-256 whatever their nickname. Needs certutil (libnss3-tools).",
                "Refuses your real ~/.pki/nssdb or Firefox profiles unless --yes-this-is-my-profile is given."})
    static final class Remove implements Runnable {
        @Spec
        private CommandSpec spec;

        @Mixin
        private StateDirOption stateDir;

        @Mixin
        private NssDbOptions options;

        @Override
        public void run() {
            Path db = options.checkedDb();
            Certutil certutil = NssDbOptions.requireCertutil();
            if (!NssDatabase.exists(db)) {
                throw UserError.of("--nss-db " + db + " holds no NSS database (cert9.db): check the path");
            }
            RootMatcher matcher = new RootMatcher(knownRoots(stateDir.stateDir()));
            NssDatabase nss = new NssDatabase(db, certutil);
            PrintWriter out = spec.commandLine().getOut();
            int removed = 0;
            try {
                List<TrustFinding> found = matcher.findings(nss.read());
                for (String nick : found.stream().map(TrustFinding::entry).distinct().toList()) {
                    removed += removeAll(nss, certutil, matcher, nick, out);
                }
                if (!matcher.findings(nss.read()).isEmpty()) {
                    throw UserError.of("some interception roots are still in " + db + " after removal: check with "
                            + "'certutil -L -d sql:" + db + "'");
                }
            } catch (TrustStoreException e) {
                throw UserError.of(e.getMessage(), e);
            }
            out.println(removed == 0 ? "No national or known interception root in " + db + "; nothing removed."
                    : "Removed " + removed + " national/interception root" + (removed == 1 ? "" : "s") + " from " + db);
        }

        /**
         * Deletes the listed roots under {@code nick}. certutil -D removes one certificate of a nickname at a
         * time, so repeat while one is left; a nickname that also holds an unlisted certificate is left alone.
         */
        private static int removeAll(NssDatabase nss, Certutil certutil, RootMatcher matcher, String nick, PrintWriter out) {
            int removed = 0;
            for (int round = 0; round < 16; round++) {
                if (!certutil.nicknames(nss.directory()).contains(nick)) { // its last certificate is gone
                    return removed;
                }
                List<X509Certificate> certs = nss.certificates(nick);
                List<InstalledCertificate> listed = certs.stream().map(c -> new InstalledCertificate(nick, c))
                        .filter(c -> matcher.match(c).isPresent()).toList();
                if (listed.isEmpty()) {
                    return removed;
                }
                if (listed.size() < certs.size()) {
                    throw UserError.of("'" + nick + "' holds interception roots and other certificates: remove them by "
                            + "hand with certutil -D (see docs/remove-the-root.md)");
                }
                certutil.delete(nss.directory(), nick);
                removed++;
                out.println("removed  \"" + nick + "\"  " + matcher.match(listed.get(0)).orElseThrow().name()
                        + "  SPKI SHA-256 " + Fingerprint.spkiOf(listed.get(0).certificate()));
            }
            return removed;
        }
    }
}
