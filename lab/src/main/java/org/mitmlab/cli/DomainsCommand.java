package org.mitmlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.LabSite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mitmlab domains}: the targeted and control names and where each list comes from. */
@Command(name = "domains", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List the lab's targeted and control domains and the source of each list.")
public final class DomainsCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    private boolean json;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        DomainCatalogue catalogue = DomainCatalogue.kz2019();
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            root.put("targetedSource", DomainCatalogue.TARGETS_SOURCE);
            root.put("controlSource", DomainCatalogue.CONTROLS_SOURCE);
            ArrayNode sites = root.putArray("sites");
            for (LabSite s : catalogue.sites()) {
                ObjectNode n = sites.addObject();
                n.put("name", s.name());
                n.put("role", catalogue.isTargeted(s.name()) ? "targeted" : "control");
                n.put("service", s.service());
                n.put("operator", s.operator());
            }
            out.println(root.toPrettyString());
            return;
        }
        out.println("Targeted (" + catalogue.targeted().size() + "): intercepted when the ClientHello names them");
        out.println("  source: " + DomainCatalogue.TARGETS_SOURCE);
        print(out, catalogue, true);
        out.println();
        out.println("Control (" + catalogue.controls().size() + "): hosted by the lab, not on the 2019 list (intercepted only where a scenario says so)");
        out.println("  source: " + DomainCatalogue.CONTROLS_SOURCE);
        print(out, catalogue, false);
        out.flush();
    }

    private static void print(PrintWriter out, DomainCatalogue catalogue, boolean targeted) {
        for (LabSite s : catalogue.sites()) {
            if (catalogue.isTargeted(s.name()) == targeted) {
                out.println(String.format(Locale.ROOT, "  %-24s %s (%s)", s.name(), s.service(), s.operator()));
            }
        }
    }
}
