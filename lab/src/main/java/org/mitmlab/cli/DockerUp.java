package org.mitmlab.cli;

import java.io.PrintWriter;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.StateDir;
import org.mitmlab.lab.docker.DockerLab;
import org.mitmlab.lab.docker.DockerTopology;
import org.mitmlab.scenario.Scenario;

/** {@code mitmlab up --docker}: starts the Docker lab, prints how to use it, and returns (the lab keeps running). */
final class DockerUp {
    private final PrintWriter out;
    private final StateDir stateDir;
    private final ScenarioOptions.Choice choice;
    private final String baseImage;

    DockerUp(PrintWriter out, StateDir stateDir, ScenarioOptions.Choice choice, String baseImage) {
        this.out = out;
        this.stateDir = stateDir;
        this.choice = choice;
        this.baseImage = baseImage;
    }

    void run() {
        DockerSupport.requireDocker();
        String base = baseImage != null ? baseImage : DockerLab.defaultBaseImage();
        try {
            DockerLab.start(LabConfig.defaults(stateDir).withScenario(choice.scenario(), choice.hold()),
                    choice.scenario().scenario().studentRootInstalled(), DockerSupport.ownJar(), base,
                    line -> {
                        out.println(line);
                        out.flush();
                    });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UserError.of("interrupted while starting the Docker lab; remove what was made with 'mitmlab down'");
        }
        out.println();
        boolean installed = choice.scenario().scenario().studentRootInstalled();
        out.println("The Docker lab is running (scenario: " + choice.scenario().name() + "). The client "
                + (installed ? "installed" : "did NOT install") + " the national root.");
        out.println("  mitmlab shell client                       # a shell on the student's machine (no proxy settings)");
        out.println("  mitmlab shell client -- curl -sv https://vk.com/ -o /dev/null");
        out.println("  mitmlab shell vantage                      # the researchers' server abroad: genuine view");
        out.println("  mitmlab shell client -- traceroute -n -T -p 443 vk.com   # where does the answer come from?");
        out.println("  mitmlab dashboard --docker                 # the box's live dashboard on http://127.0.0.1:8081/");
        out.println("  events of the box: " + DockerLab.boxEvents(stateDir) + "   ('mitmlab watch --docker' follows them)");
        out.println("Stop and remove it with: mitmlab down");
        out.println(topologyLine(choice.scenario().scenario()));
        out.flush();
    }

    /**
     * The hops from the client, and where the box sits, unless finding that out is the exercise (a
     * scenario that places the box per student, such as locate): then the routers are listed alike.
     */
    static String topologyLine(Scenario scenario) {
        String hops = "(From the client: home-gw is hop " + DockerTopology.hopOf(DockerTopology.HOME_GW) + ", isp hop "
                + DockerTopology.hopOf(DockerTopology.ISP) + ", ix hop " + DockerTopology.hopOf(DockerTopology.IX)
                + ", the sites hop " + DockerTopology.hopOf(DockerTopology.INTERNET) + ". ";
        if (scenario.box().perStudent()) {
            return hops + "Which router hosts the box is for you to find: 'mitmlab locate vk.com'.)";
        }
        String router = scenario.box().choices().get(0);
        return hops + "The box is on the " + router + ", hop " + DockerTopology.hopOf(router) + ".)";
    }
}
