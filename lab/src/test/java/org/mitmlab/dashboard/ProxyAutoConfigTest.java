package org.mitmlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mitmlab.domains.DomainCatalogue;

/**
 * The PAC file as text (Java 17 has no JavaScript engine to run it): one exact {@code host ==}
 * clause per lab name, the proxy for those, {@code DIRECT} for the rest, and nothing a name could
 * inject.
 */
class ProxyAutoConfigTest {
    private static final DomainCatalogue CATALOGUE = DomainCatalogue.kz2019();
    private static final List<String> SERVICES = List.of("pki.webtrust.lab", "ct.webtrust.lab", "vantage.lab");

    private static List<String> labNames() {
        List<String> names = new ArrayList<>(CATALOGUE.targeted());
        names.addAll(CATALOGUE.controls());
        names.addAll(SERVICES);
        return names;
    }

    @Test
    void everyLabNameGoesToTheProxyAndEverythingElseDirect() {
        ProxyAutoConfig pac = ProxyAutoConfig.loopback(18080, labNames());
        String text = pac.text();

        assertThat(text).as("a PAC file is one FindProxyForURL function").contains("function FindProxyForURL(url, host) {");
        for (String name : labNames()) {
            assertThat(text).as("%s is sent to the proxy", name).contains("host == \"" + name + "\"");
        }
        assertThat(pac.names()).as("37 targeted + 11 controls + 3 lab services").hasSize(37 + 11 + 3)
                .contains("vk.com", "halykbank.kz", "pki.webtrust.lab", "ct.webtrust.lab", "vantage.lab");
        assertThat(text).as("lab names get the running proxy's port").contains("return \"PROXY 127.0.0.1:18080\";");
        assertThat(text.strip()).as("the last word is DIRECT, so the student's other sites keep working")
                .endsWith("return \"DIRECT\";\n}");
        assertThat(text.indexOf("PROXY 127.0.0.1:18080")).as("the proxy is returned only inside the lab-name test")
                .isLessThan(text.lastIndexOf("return \"DIRECT\""));
        assertThat(text).as("exact names only: no suffix matches that would send other sites to a proxy refusing them")
                .doesNotContain("dnsDomainIs", "shExpMatch", "*");
    }

    @Test
    void namesAreSortedLowerCaseAndUnique() {
        ProxyAutoConfig pac = ProxyAutoConfig.loopback(8080, List.of("VK.com", "mail.ru", "vk.com"));

        assertThat(pac.names()).containsExactly("mail.ru", "vk.com");
        assertThat(pac.text()).as("the same file every time for the same lab")
                .isEqualTo(ProxyAutoConfig.loopback(8080, List.of("mail.ru", "vk.com")).text());
    }

    @Test
    void aNameThatIsNotADnsNameCannotInjectJavaScript() {
        assertThatThrownBy(() -> ProxyAutoConfig.loopback(8080, List.of("vk.com\") { return \"PROXY evil:1\"; } //")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a DNS name");
        assertThatThrownBy(() -> ProxyAutoConfig.loopback(0, List.of("vk.com")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> ProxyAutoConfig.loopback(8080, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
