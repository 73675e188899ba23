package org.mitmlab.lab.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.LabPki;
import org.mitmlab.lab.StateDir;
import org.mitmlab.pki.KeyFiles;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.scenario.ResolvedScenario;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.containers.BindMode;

/**
 * The Docker lab: a student's {@code client} behind {@code home-gw}, an {@code isp} router, an
 * {@code ix} router, one of which hosts the transparent interception box (the scenario says which), the {@code internet} with every lab site on its
 * own address, and a {@code vantage} point abroad. All networks are internal: nothing in the lab
 * can reach or be reached from outside the host. Containers outlive this object on purpose (a
 * classroom lab keeps running after {@code mitmlab up --docker} returns); {@link #down} removes
 * everything labelled as ours, even after a crash.
 */
public final class DockerLab {
    /** A public JRE image, for users online. */
    public static final String PUBLIC_BASE_IMAGE = "eclipse-temurin:17-jre";
    /** The image docker/build-base-image.sh builds offline from Debian packages. */
    public static final String OFFLINE_BASE_IMAGE = "mitmlab/base:1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> ROLE_SCRIPTS = List.of("common.sh", "client.sh", "vantage.sh", "home-gw.sh", "isp.sh",
            "ix.sh", "box.sh", "internet.sh");
    /** Under STATE/docker: where the box writes events.jsonl and proxy.log, whichever router hosts it. */
    private static final String BOX_EVENTS = "box-events";

    private final DockerTopology topology;
    private final Map<String, GenericContainer<?>> containers;
    private final String boxRouter;

    private DockerLab(DockerTopology topology, Map<String, GenericContainer<?>> containers, String boxRouter) {
        this.topology = topology;
        this.containers = containers;
        this.boxRouter = boxRouter;
    }

    /**
     * Builds the image if missing, starts the topology with the box on the scenario's router, waits
     * until the sites answer and the box listens. Removes a previous lab first.
     *
     * @param config                   its scenario decides the box's router, targets, forgery and timeline
     * @param clientTrustsNationalRoot false when the student did not install the root ("refusal")
     * @param jar                      the mitmlab jar to put in the image
     * @param baseImage                JRE base image (build argument)
     */
    public static DockerLab start(LabConfig config, boolean clientTrustsNationalRoot, Path jar, String baseImage,
            Consumer<String> progress) throws InterruptedException {
        down(progress);
        DockerTopology topology = new DockerTopology(config.catalogue());
        Path stage = stage(config, clientTrustsNationalRoot, progress);
        String boxRouter = config.scenario().boxRouter();

        String image = ensureImage(jar, baseImage, progress);
        progress.accept("Creating the lab networks (internal: no way in or out)...");
        Map<String, String> networks = new LinkedHashMap<>();
        for (String n : List.of(DockerTopology.HOME, DockerTopology.ACCESS, DockerTopology.BACKBONE, DockerTopology.INTERNET_NET)) {
            networks.put(n, network(n));
        }
        Map<String, GenericContainer<?>> containers = new LinkedHashMap<>();
        try {
            for (String role : List.of(DockerTopology.INTERNET, DockerTopology.VANTAGE, DockerTopology.IX, DockerTopology.ISP,
                    DockerTopology.HOME_GW, DockerTopology.CLIENT)) {
                progress.accept("Starting " + role + "...");
                containers.put(role, container(role, image, networks, stage, role.equals(boxRouter)));
            }
            DockerLab lab = new DockerLab(topology, containers, boxRouter);
            lab.configure();
            lab.awaitReady(progress);
            lab.warmUp(config.scenario().targets(), progress);
            return lab;
        } catch (RuntimeException | InterruptedException e) {
            down(progress);
            throw e;
        }
    }

    /**
     * Writes each role's files into {@code STATE/docker/ROLE} (mounted at /lab/state; keys only where the
     * role needs them) and the lab's hosts file into {@code STATE/docker/common}. docker/compose.yaml
     * mounts the same directories, so Testcontainers and Compose start identical labs.
     *
     * <p>The box is staged for the router {@link org.mitmlab.scenario.ResolvedScenario#boxRouter} names:
     * the national keys (0600), the resolved targets (never the instructor's secret), the scenario's
     * YAML, the phase to hold and the student id. That router's script starts box.sh because it finds
     * the key there; the other router only routes.
     */
    public static Path stage(LabConfig config, boolean trustsRoot, Consumer<String> progress) {
        StateDir dir = config.stateDir();
        LabPki pki = LabPki.prepare(config, java.time.Clock.systemUTC(), new java.security.SecureRandom(), progress);
        DockerTopology topology = new DockerTopology(config.catalogue());
        Path stage = dir.root().resolve("docker");
        try {
            deleteRecursively(stage);
            Path common = stage.resolve("common");
            Files.createDirectories(common);
            StringBuilder hosts = new StringBuilder();
            topology.siteAddresses().forEach((name, ip) -> hosts.append(ip).append(' ').append(name).append('\n'));
            Files.writeString(common.resolve("hosts"), hosts.toString());
            for (String role : DockerTopology.SHELL_ROLES) {
                Files.createDirectories(stage.resolve(role));
            }
            stageBox(config, pki, stage.resolve(config.scenario().boxRouter()));
            Files.createDirectories(stage.resolve(BOX_EVENTS));

            Path internet = stage.resolve(DockerTopology.INTERNET);
            copyRecursively(dir.webPki(), internet.resolve("web-pki"));

            Files.copy(trustsRoot ? dir.rootsWithNational() : dir.publicRoots(), stage.resolve(DockerTopology.CLIENT).resolve("trust.pem"));
            Files.copy(dir.publicRoots(), stage.resolve(DockerTopology.VANTAGE).resolve("trust.pem"));
            // the root certificate alone (no key), so 'mitmlab trust check' in the client can name it
            Files.copy(dir.nationalRoot(), stage.resolve(DockerTopology.CLIENT).resolve("national-root.pem"));
            // what 'mitmlab detect' needs in the client: public certificates and detect.json
            ClientDetectFiles.stage(dir, stage.resolve(DockerTopology.CLIENT));
            return stage;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the Docker lab's files in " + stage, e);
        }
    }

    /** The box's files, in the directory of the router that hosts it. */
    private static void stageBox(LabConfig config, LabPki pki, Path box) throws IOException {
        ResolvedScenario scenario = config.scenario();
        Files.createDirectories(box);
        PemFiles.writeCertificates(box.resolve("national-root.pem"), List.of(pki.national().root().certificate()));
        KeyFiles.writePrivateKey(box.resolve("national-root.key"), pki.national().root().key());
        PemFiles.writeCertificates(box.resolve("national-intermediate.pem"), List.of(pki.national().intermediate().certificate()));
        KeyFiles.writePrivateKey(box.resolve("national-intermediate.key"), pki.national().intermediate().key());
        PemFiles.writeCertificates(box.resolve("public-roots.pem"), pki.web().trustBundle());
        List<String> targets = scenario.targets();
        Files.writeString(box.resolve("targets.txt"), targets.isEmpty() ? "" : String.join("\n", targets) + "\n");
        Files.writeString(box.resolve("scenario.yaml"), scenario.scenario().text());
        if (config.holdPhase().isPresent()) {
            Files.writeString(box.resolve("phase"), config.holdPhase().get() + "\n");
        }
        Files.writeString(box.resolve("student"), scenario.student().student() + "\n");
        // the timeline's speed as the host chose it (up --day), which the staged YAML may not say
        Files.writeString(box.resolve("day"), scenario.scenario().timeline().day().toMillis() + "ms\n");
    }

    /**
     * Where the box writes {@code events.jsonl} and {@code proxy.log} on the host: the same path
     * whichever router hosts it, so readers ({@code dashboard --docker}, {@code watch --docker}) need
     * not know (and the banner need not tell) where the box sits.
     */
    public static Path boxEventsDir(StateDir dir) {
        return dir.root().resolve("docker").resolve(BOX_EVENTS);
    }

    /** The box's events file, {@code events.jsonl} in {@link #boxEventsDir}. */
    public static Path boxEvents(StateDir dir) {
        return boxEventsDir(dir).resolve("events.jsonl");
    }

    private static String ensureImage(Path jar, String baseImage, Consumer<String> progress) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("the mitmlab jar " + jar + " does not exist: build it with 'mvn -DskipTests package'");
        }
        String tag = "mitmlab/lab:" + shortHash(jar, baseImage);
        DockerClient docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(tag).exec();
            progress.accept("Image " + tag + " is up to date.");
            return tag;
        } catch (com.github.dockerjava.api.exception.NotFoundException missing) {
            progress.accept("Building image " + tag + " on " + baseImage + " (once per build of mitmlab)...");
        }
        try {
            // the same build context as 'docker compose build': the repository layout, rebuilt from the jar
            ImageFromDockerfile build = new ImageFromDockerfile(tag, false)
                    .withFileFromTransferable("Dockerfile", Transferable.of(resource("Dockerfile")))
                    .withFileFromPath("lab/target/mitmlab.jar", jar)
                    .withBuildArg("BASE_IMAGE", baseImage);
            for (String script : ROLE_SCRIPTS) {
                build.withFileFromTransferable("docker/roles/" + script, Transferable.of(resource("roles/" + script), 0755));
            }
            return build.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException("building the lab image on " + baseImage + " failed (" + e.getMessage()
                    + "); without a registry, build the offline base first: docker/build-base-image.sh, then --base-image mitmlab/base:1", e);
        }
    }

    /** An internal network (no route to or from outside the host), made with the Docker client so it outlives this JVM. */
    private static String network(String name) {
        DockerClientFactory.instance().client().createNetworkCmd()
                .withName(DockerTopology.PREFIX + name)
                .withInternal(true)
                .withLabels(Map.of(DockerTopology.LABEL, "true"))
                .withIpam(new com.github.dockerjava.api.model.Network.Ipam().withConfig(
                        new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(DockerTopology.subnet(name))))
                .exec();
        return DockerTopology.PREFIX + name;
    }

    @SuppressWarnings("resource") // containers are stopped by down(), not by this JVM
    private static GenericContainer<?> container(String role, String image, Map<String, String> networks, Path stage,
            boolean hostsBox) {
        Map<String, String> addresses = DockerTopology.ADDRESSES.get(role);
        String primaryNet = DockerTopology.primaryNetwork(role);
        String primaryIp = addresses.get(primaryNet);
        // withReuse: Testcontainers then leaves the container alone when this JVM exits, because the
        // classroom lab must outlive 'mitmlab up --docker'; 'mitmlab down' removes it by our label.
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withNetworkMode(networks.get(primaryNet))
                .withReuse(true)
                .withLabel(DockerTopology.LABEL, "true")
                .withCommand("sleep", "infinity")
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName(DockerTopology.containerName(role)).withHostName(role).withIpv4Address(primaryIp);

                    cmd.getHostConfig().withInit(true).withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW)
                            .withSysctls(Map.of("net.ipv4.ip_forward", "1", "net.ipv4.icmp_ratelimit", "0"));
                })
                .withStartupTimeout(Duration.ofSeconds(60));
        c.withFileSystemBind(stage.resolve("common").toString(), "/lab/common", BindMode.READ_ONLY)
                .withFileSystemBind(stage.resolve(role).toString(), "/lab/state", BindMode.READ_WRITE);
        if (hostsBox) {
            c.withFileSystemBind(stage.resolve(BOX_EVENTS).toString(), "/lab/events", BindMode.READ_WRITE);
        }
        c.start();
        DockerClient docker = DockerClientFactory.instance().client();
        for (Map.Entry<String, String> a : addresses.entrySet()) {
            if (!a.getKey().equals(primaryNet)) {
                docker.connectToNetworkCmd().withContainerId(c.getContainerId()).withNetworkId(networks.get(a.getKey()))
                        .withContainerNetwork(new ContainerNetwork().withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(a.getValue())))
                        .exec();
            }
        }
        return c;
    }

    /** Each role configures itself with its script from docker/roles (routes, iptables, trust, services). */
    private void configure() throws InterruptedException {
        for (String role : List.of(DockerTopology.INTERNET, DockerTopology.VANTAGE, DockerTopology.IX, DockerTopology.ISP,
                DockerTopology.HOME_GW, DockerTopology.CLIENT)) {
            sh(role, "/opt/mitmlab/roles/" + role + ".sh");
        }
    }

    private void awaitReady(Consumer<String> progress) throws InterruptedException {
        progress.accept("Waiting for the simulated Internet and the interception box...");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String probe = "curl -s -o /dev/null -m 2 -w '%{http_code}' https://rcku.kz/api/status";
        while (System.nanoTime() < deadline) {
            ExecResult fromVantage = exec(DockerTopology.VANTAGE, "sh", "-c", probe);
            ExecResult boxUp = exec(boxRouter, "sh", "-c", "ss -ltn | grep -q ':" + DockerTopology.PROXY_PORT + " '");
            if (fromVantage.getStdout().trim().equals("200") && boxUp.getExitCode() == 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the Docker lab did not become ready within " + READY_TIMEOUT.toSeconds()
                + " s; see the box's log, " + BOX_EVENTS + "/proxy.log in the staged directory, and /var/log/mitmlab-internet.log in internet");
    }

    /**
     * Visits every targeted site once from the client, so the box has its forgeries cached, as a box
     * that had been running for days would. Without this the first visits of a class all wait for key
     * generation at once. (In a phase without interception these visits just pass through.)
     */
    private void warmUp(List<String> targets, Consumer<String> progress) throws InterruptedException {
        if (targets.isEmpty()) {
            return;
        }
        progress.accept("Warming up the interceptor (one visit per targeted site)...");
        exec(DockerTopology.CLIENT, "sh", "-c", "printf '%s\\n' " + String.join(" ", targets)
                + " | xargs -P 4 -I{} curl -s -o /dev/null -k -m 30 https://{}/");
    }

    /** Runs a command in a role's container (like docker exec) and returns its result. */
    public ExecResult exec(String role, String... command) throws InterruptedException {
        GenericContainer<?> c = containers.get(role);
        if (c == null) {
            throw new IllegalArgumentException("no container for role " + role);
        }
        try {
            return c.execInContainer(command);
        } catch (IOException e) {
            throw new UncheckedIOException("exec in " + role + " failed", e);
        }
    }

    private void sh(String role, String script) throws InterruptedException {
        ExecResult r = exec(role, "sh", "-c", script);
        if (r.getExitCode() != 0) {
            throw new IllegalStateException("configuring " + role + " failed: " + r.getStderr().trim());
        }
    }

    public DockerTopology topology() {
        return topology;
    }

    /** The router that hosts the box ("isp" or "ix"). */
    public String boxRouter() {
        return boxRouter;
    }

    /** The offline base image when it has been built here (no registry needed), else the public one. */
    public static String defaultBaseImage() {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(OFFLINE_BASE_IMAGE).exec();
            return OFFLINE_BASE_IMAGE;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return PUBLIC_BASE_IMAGE;
        }
    }

    /** True when a lab container of this role exists (running or not). */
    public static boolean exists(String role) {
        return !DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withNameFilter(List.of(DockerTopology.containerName(role))).exec().isEmpty();
    }

    /** Removes every container and network labelled as the lab's; returns how many objects went. */
    public static int down(Consumer<String> progress) {
        DockerClient docker = DockerClientFactory.instance().client();
        int removed = 0;
        for (var c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(DockerTopology.LABEL, "true")).exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            removed++;
        }
        for (var n : docker.listNetworksCmd().withFilter("label", List.of(DockerTopology.LABEL + "=true")).exec()) {
            docker.removeNetworkCmd(n.getId()).exec();
            removed++;
        }
        if (removed > 0) {
            progress.accept("Removed " + removed + " lab containers and networks.");
        }
        return removed;
    }

    private static String shortHash(Path jar, String baseImage) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(jar)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                }
            }
            d.update(resource("Dockerfile"));
            for (String script : ROLE_SCRIPTS) {
                d.update(resource("roles/" + script));
            }
            d.update(baseImage.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = DockerLab.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the mitmlab jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            List<Path> all = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(all);
            for (Path x : all) {
                Files.delete(x);
            }
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
